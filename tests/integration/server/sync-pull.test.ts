import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, PullResponse } from '../../../src-shared/protocol/sync';
import { SyncSession } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * GET /api/v1/sync/pull against the real service: paging, validation, snapshot rules, visibility
 * and cursor expiry (PROTOCOL.md, "Pull"). Tests run in order and share one demo server; each
 * one that needs a quiet change log makes its own changes only after reading the head cursor.
 */

/** Row data as pulled, read loosely in assertions. */

type Data = Record<string, any>;

let t: TestServer;
let admin: SyncSession;
let agent: SyncSession;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  [admin, agent] = await Promise.all([
    t.api.session('acme', 'admin@acme.test'),
    t.api.session('acme', 'agent1@acme.test'),
  ]);
});
afterAll(() => t.close());

const keyOf = (c: { entity: string; id: string }) => `${c.entity}:${c.id}`;
const flatten = (pages: PullResponse[]) => pages.flatMap((p) => p.changes);
const dataOf = (c: Change): Data => (c.op === 'upsert' ? c.data : {}) as Data;

/** A replica as the client keeps it: upserts replace, tombstones remove. */
function replay(changes: Change[], into = new Map<string, Data>()): Map<string, Data> {
  for (const c of changes) {
    if (c.op === 'upsert') into.set(keyOf(c), c.data as Data);
    else into.delete(keyOf(c));
  }
  return into;
}

/** Another replica of the same user (same token, a new client id). */
function newClient(session: SyncSession): SyncSession {
  return new SyncSession(t.api, session.tokens, randomUUID());
}

async function fullSnapshot(session: SyncSession): Promise<Change[]> {
  return flatten(await newClient(session).pullAll('0', 5000));
}

async function headCursor(session: SyncSession): Promise<string> {
  const pages = await session.pullAll('0', 5000);
  return pages.at(-1)!.cursor;
}

/** Pushes mutations and insists that every one was applied. */
async function apply(session: SyncSession, ...mutations: Array<{ name: string; args: Data }>) {
  const response = await session.send(...mutations);
  expect(response.status).toBe(200);
  expect(response.body.results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'));
  return response.body;
}

function pullRaw(session: SyncSession, query: string, headers: Record<string, string> = {}) {
  return t.api.call<PullResponse>('GET', `/api/v1/sync/pull?${query}`, {
    token: session.token,
    headers: { 'x-client-id': session.clientId, ...headers },
  });
}

function ticketsWithComments(changes: Change[]): Map<string, string[]> {
  const byTicket = new Map<string, string[]>();
  for (const c of changes) {
    if (c.entity === 'comment' && c.op === 'upsert') {
      const ticketId = dataOf(c).ticketId as string;
      byTicket.set(ticketId, [...(byTicket.get(ticketId) ?? []), c.id]);
    }
  }
  return byTicket;
}

/** Edits one part of an opaque cursor (`c1.<epoch>.<visibility>.<seq>[.<snapshot>]`). */
function editCursor(cursor: string, index: number, value: string): string {
  const parts = cursor.split('.');
  expect(parts.length).toBeGreaterThanOrEqual(4);
  parts[index] = value;
  return parts.join('.');
}

describe('paging', () => {
  it('returns every row exactly once for limits 7, 50 and 500, the same set as one big page', async () => {
    const big = await agent.pull('0', 5000);
    expect(big.status).toBe(200);
    expect(big.body.hasMore).toBe(false);
    expect(big.body.remaining).toBe(0);
    const reference = big.body.changes;
    expect(reference.length).toBeGreaterThan(1000);
    expect(new Set(reference.map(keyOf)).size).toBe(reference.length);
    const referenceState = replay(reference);

    for (const limit of [7, 50, 500]) {
      const pages = await newClient(agent).pullAll('0', limit);
      const changes = flatten(pages);
      expect(pages.length).toBe(Math.ceil(reference.length / limit));
      pages.forEach((page, i) => {
        if (i < pages.length - 1) {
          expect(page.changes.length).toBe(limit);
          expect(page.hasMore).toBe(true);
        }
        // Nothing changes meanwhile and there are no tombstones yet: the estimate is exact.
        const later = pages.slice(i + 1).reduce((n, p) => n + p.changes.length, 0);
        expect(page.remaining).toBe(later);
      });
      expect(pages.at(-1)!.hasMore).toBe(false);
      expect(pages.at(-1)!.remaining).toBe(0);
      const seqs = changes.map((c) => c.seq);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
      const keys = changes.map(keyOf);
      expect(new Set(keys).size).toBe(keys.length);
      expect(replay(changes)).toEqual(referenceState);
      expect(pages.at(-1)!.cursor).toBe(big.body.cursor);
    }
  });

  it('answers an empty last page from the final cursor and 500 changes by default', async () => {
    const first = await agent.pull('0', 5000);
    const tail = await agent.pull(first.body.cursor);
    expect(tail.status).toBe(200);
    expect(tail.body).toMatchObject({ changes: [], hasMore: false, remaining: 0 });
    expect(tail.body.cursor).toBe(first.body.cursor);

    const byDefault = await pullRaw(agent, 'cursor=0');
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.changes.length).toBe(500);
    expect(byDefault.body.hasMore).toBe(true);
    const noQuery = await pullRaw(agent, '');
    expect(noQuery.status).toBe(200);
    expect(noQuery.body.changes.map(keyOf)).toEqual(byDefault.body.changes.map(keyOf));
    for (const limit of [1, 5000]) {
      const edge = await agent.pull('0', limit);
      expect(edge.status).toBe(200);
      expect(edge.body.changes.length).toBe(Math.min(limit, first.body.changes.length));
    }
  });
});

describe('query validation', () => {
  it('answers 400 bad_request for a limit outside 1..5000 or not an integer', async () => {
    for (const limit of ['0', '5001', 'abc', '-1', '1.5', '', '1e9']) {
      const response = await pullRaw(agent, `cursor=0&limit=${encodeURIComponent(limit)}`);
      expectApiError(response, 400, 'bad_request');
      expect(JSON.stringify(response.body)).toContain('limit');
    }
  });

  it('answers 400 for a malformed cursor and for unknown query parameters', async () => {
    const good = (await agent.pull('0', 1)).body.cursor;
    const malformed = [
      '',
      'abc',
      '-1',
      'c1.x',
      'c2' + good.slice(2),
      editCursor(good, 1, 'bad!epoch'),
      editCursor(good, 3, '-5'),
      editCursor(good, 3, '1.5e3x'),
      `${good}.1.2`,
      'x'.repeat(300),
    ];
    for (const cursor of malformed) {
      const response = await pullRaw(agent, `cursor=${encodeURIComponent(cursor)}&limit=10`);
      expectApiError(response, 400, 'bad_request');
    }
    expectApiError(await pullRaw(agent, 'cursor=0&limit=10&since=5'), 400, 'bad_request');
  });

  it('answers 400 without an X-Client-Id header or with one that is not a UUID', async () => {
    const missing = await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=5', {
      token: agent.token,
    });
    expectApiError(missing, 400, 'bad_request');
    for (const clientId of ['not-a-uuid', '1234', `${randomUUID()}x`]) {
      const response = await pullRaw(agent, 'cursor=0&limit=5', { 'x-client-id': clientId });
      expectApiError(response, 400, 'bad_request');
    }
  });

  it('answers 401 without a valid access token', async () => {
    const response = await t.api.call('GET', '/api/v1/sync/pull?cursor=0', {
      clientId: randomUUID(),
    });
    expectApiError(response, 401, 'unauthorized');
  });
});

describe('snapshots', () => {
  let deletedEarly: string;

  it('carries no tombstones in a pull from 0, not even of rows deleted before it', async () => {
    const before = await fullSnapshot(admin);
    const withComments = [...ticketsWithComments(before)].find(([, ids]) => ids.length >= 2)!;
    deletedEarly = withComments[0];
    await apply(admin, { name: 'deleteTicket', args: { ticketId: deletedEarly } });

    const pages = await newClient(agent).pullAll('0', 100);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages[0]!.changes.every((c) => c.op === 'upsert')).toBe(true);
    const changes = flatten(pages);
    expect(changes.filter((c) => c.op === 'delete')).toEqual([]);
    const ids = new Set(changes.map((c) => c.id));
    expect(ids.has(deletedEarly)).toBe(false);
    for (const commentId of withComments[1]) expect(ids.has(commentId)).toBe(false);
  });

  it('estimates `remaining` without the tombstones a snapshot will not send', async () => {
    const pages = await newClient(agent).pullAll('0', 200);
    pages.forEach((page, i) => {
      const later = pages.slice(i + 1).reduce((n, p) => n + p.changes.length, 0);
      expect(page.remaining).toBe(later);
    });
  });

  it('sends rows deleted or changed while a paged snapshot runs on later pages; the later copy wins', async () => {
    const reference = await fullSnapshot(agent);
    const commentsOf = ticketsWithComments(reference);
    const client = newClient(agent);
    const first = await client.pull('0', 400);
    expect(first.status).toBe(200);
    expect(first.body.hasMore).toBe(true);
    expect(first.body.changes.every((c) => c.op === 'upsert')).toBe(true);
    const lastSeen = first.body.changes.at(-1)!.seq;
    const seenTickets = first.body.changes.filter((c) => c.entity === 'ticket');
    expect(seenTickets.length).toBeGreaterThanOrEqual(2);
    // X was delivered and is now deleted; Z was delivered and is now changed.
    const x = seenTickets.find((c) => (commentsOf.get(c.id)?.length ?? 0) > 0)!;
    const z = seenTickets.find((c) => c.id !== x.id)!;
    // Y was not delivered yet and is deleted before it would be.
    const y = reference.find(
      (c) =>
        c.entity === 'ticket' && c.seq > lastSeen + 200 && (commentsOf.get(c.id)?.length ?? 0) > 0,
    )!;
    expect(y).toBeDefined();
    const zStatus = dataOf(z).status === 'on_hold' ? 'pending' : 'on_hold';
    await apply(
      admin,
      { name: 'deleteTicket', args: { ticketId: x.id } },
      { name: 'deleteTicket', args: { ticketId: y.id } },
      { name: 'setTicketFields', args: { ticketId: z.id, fields: { status: zStatus } } },
      { name: 'addTags', args: { ticketId: z.id, tags: ['snapshot-race'] } },
    );

    const rest = await client.pullAll(first.body.cursor, 150);
    const later = flatten(rest);
    const tombstones = new Set(later.filter((c) => c.op === 'delete').map(keyOf));
    expect(tombstones.has(`ticket:${x.id}`)).toBe(true);
    for (const commentId of commentsOf.get(x.id)!)
      expect(tombstones.has(`comment:${commentId}`)).toBe(true);
    expect(tombstones.has(`ticket:${y.id}`)).toBe(true);
    // Only rows deleted while the snapshot ran: not the one deleted before it started.
    expect(tombstones.has(`ticket:${deletedEarly}`)).toBe(false);
    expect([...tombstones].every((k) => k.startsWith('ticket:') || k.startsWith('comment:'))).toBe(
      true,
    );
    expect(later.some((c) => c.id === y.id && c.op === 'upsert')).toBe(false);

    const zAgain = later.filter((c) => c.id === z.id);
    expect(zAgain).toHaveLength(1);
    expect(dataOf(zAgain[0]!)).toMatchObject({
      status: zStatus,
      tags: expect.arrayContaining(['snapshot-race']),
    });

    const all = [...first.body.changes, ...later];
    for (let i = 1; i < all.length; i++) expect(all[i]!.seq).toBeGreaterThan(all[i - 1]!.seq);
    const replica = replay(all);
    expect(replica.get(`ticket:${z.id}`)).toMatchObject({ status: zStatus });
    expect(replica.has(`ticket:${x.id}`)).toBe(false);
    expect(replica.has(`ticket:${y.id}`)).toBe(false);
    // The replica ends up exactly as a fresh snapshot taken now.
    expect(replica).toEqual(replay(await fullSnapshot(agent)));
  });

  it('sends only the new changes from the final cursor, tombstones of a ticket and its comments included', async () => {
    const snapshot = await fullSnapshot(agent);
    const client = newClient(agent);
    const cursor = (await client.pullAll('0', 5000)).at(-1)!.cursor;
    const commentsOf = ticketsWithComments(snapshot);
    const [doomed, doomedComments] = [...commentsOf].find(([, ids]) => ids.length >= 2)!;
    const edited = snapshot.find((c) => c.entity === 'ticket' && c.id !== doomed)!;
    const maxNumber = Math.max(
      ...snapshot.filter((c) => c.entity === 'ticket').map((c) => dataOf(c).number),
    );
    const contactId = randomUUID();
    const ticketId = randomUUID();
    const commentId = randomUUID();

    await apply(
      admin,
      { name: 'createContact', args: { id: contactId, name: 'Incremental Person' } },
      {
        name: 'createTicket',
        args: { id: ticketId, subject: 'Incremental', description: '', requesterId: contactId },
      },
      { name: 'addComment', args: { id: commentId, ticketId, body: 'first reply', public: true } },
      {
        name: 'setTicketFields',
        args: { ticketId: edited.id, fields: { subject: 'Edited subject' } },
      },
      { name: 'deleteTicket', args: { ticketId: doomed } },
    );

    const response = await client.pull(cursor, 5000);
    expect(response.status).toBe(200);
    expect(response.body.hasMore).toBe(false);
    expect(response.body.remaining).toBe(0);
    const changes = response.body.changes;
    const described = changes.map((c) => `${c.op} ${keyOf(c)}`).sort();
    expect(described).toEqual(
      [
        `upsert contact:${contactId}`,
        `upsert ticket:${ticketId}`,
        `upsert comment:${commentId}`,
        `upsert ticket:${edited.id}`,
        `delete ticket:${doomed}`,
        ...doomedComments.map((id) => `delete comment:${id}`),
      ].sort(),
    );
    const maxSnapshotSeq = Math.max(...snapshot.map((c) => c.seq));
    expect(changes.every((c) => c.seq > maxSnapshotSeq)).toBe(true);
    expect(dataOf(changes.find((c) => c.id === ticketId)!).number).toBe(maxNumber + 1);
    expect(dataOf(changes.find((c) => c.id === edited.id)!).subject).toBe('Edited subject');
    for (const c of changes.filter((c) => c.op === 'delete')) expect(c).not.toHaveProperty('data');

    const replica = replay(changes, replay(snapshot));
    expect(replica).toEqual(replay(await fullSnapshot(agent)));

    const again = await client.pull(response.body.cursor, 5000);
    expect(again.body).toMatchObject({ changes: [], hasMore: false, remaining: 0 });
  });

  it('sends a row changed many times once, at its latest state', async () => {
    const cursor = await headCursor(agent);
    const snapshot = await fullSnapshot(agent);
    const ticket = snapshot.find((c) => c.entity === 'ticket')!;
    const statuses = ['open', 'pending', 'on_hold', 'solved', 'open'] as const;
    await apply(
      admin,
      ...statuses.map((status) => ({
        name: 'setTicketFields',
        args: { ticketId: ticket.id, fields: { status } },
      })),
      { name: 'addTags', args: { ticketId: ticket.id, tags: ['many-times'] } },
      { name: 'setTicketFields', args: { ticketId: ticket.id, fields: { priority: 'urgent' } } },
    );
    const response = await agent.pull(cursor, 5000);
    expect(response.body.changes).toHaveLength(1);
    const [change] = response.body.changes;
    expect(change).toMatchObject({ entity: 'ticket', id: ticket.id, op: 'upsert' });
    expect(dataOf(change!)).toMatchObject({
      status: 'open',
      priority: 'urgent',
      tags: expect.arrayContaining(['many-times']),
    });
  });

  it('reports lastMutationId 0 for a new client and the last processed id after pushes', async () => {
    const client = newClient(agent);
    const fresh = await client.pull('0', 10);
    expect(fresh.body.lastMutationId).toBe(0);
    // Every page of the snapshot says the same.
    const pages = await client.pullAll('0', 500);
    expect(pages.map((p) => p.lastMutationId)).toEqual(pages.map(() => 0));

    const pushed = await client.send({ name: 'noop', args: {} }, { name: 'noop', args: {} });
    expect(pushed.body.lastMutationId).toBe(2);
    expect((await client.pull(pages.at(-1)!.cursor)).body.lastMutationId).toBe(2);
    // A rejected mutation is processed too.
    const rejected = await client.send({
      name: 'setTicketFields',
      args: { ticketId: randomUUID(), fields: { status: 'open' } },
    });
    expect(rejected.body.results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'not_found' },
    });
    expect((await client.pull('0', 5)).body.lastMutationId).toBe(3);
    // Another client of the same user has its own count.
    expect((await newClient(agent).pull('0', 5)).body.lastMutationId).toBe(0);
  });
});

describe('visibility', () => {
  const byEntity = (changes: Change[], entity: string) =>
    changes.filter((c) => c.entity === entity);

  it('sends only the puller’s own profile and preferences, public user fields, and seats to admins only', async () => {
    const [agentRows, adminRows] = await Promise.all([fullSnapshot(agent), fullSnapshot(admin)]);
    for (const [rows, session, email] of [
      [agentRows, agent, 'agent1@acme.test'],
      [adminRows, admin, 'admin@acme.test'],
    ] as const) {
      const profiles = byEntity(rows, 'profile');
      const preferences = byEntity(rows, 'preferences');
      expect(profiles.map((c) => c.id)).toEqual([session.tokens.user.id]);
      expect(preferences.map((c) => c.id)).toEqual([session.tokens.user.id]);
      expect(dataOf(profiles[0]!)).toMatchObject({ email, role: session.tokens.user.role });
      const users = byEntity(rows, 'user');
      expect(users).toHaveLength(6);
      for (const user of users) {
        expect(Object.keys(dataOf(user)).sort()).toEqual(['active', 'email', 'id', 'name', 'role']);
      }
      const fieldNames = new Set(rows.flatMap((c) => Object.keys(dataOf(c))));
      expect([...fieldNames].filter((f) => /password|hash|secret|token/i.test(f))).toEqual([]);
    }
    const [agentCompany] = byEntity(agentRows, 'company');
    const [adminCompany] = byEntity(adminRows, 'company');
    expect(dataOf(agentCompany!)).not.toHaveProperty('seats');
    expect(dataOf(agentCompany!)).toMatchObject({
      name: 'Acme Field Services',
      address: expect.any(String),
    });
    expect(dataOf(adminCompany!)).toMatchObject({ seats: 25, name: 'Acme Field Services' });
    expect({ ...dataOf(adminCompany!), seats: undefined }).toEqual({
      ...dataOf(agentCompany!),
      seats: undefined,
    });
  });

  it('does not send another user’s profile or preference changes, only their public user row', async () => {
    const agent2 = await t.api.session('acme', 'agent2@acme.test');
    const cursor = await headCursor(agent);
    const ownCursor = await headCursor(agent2);
    await apply(
      agent2,
      {
        name: 'updateProfile',
        args: { fields: { name: 'Agent Two Renamed', title: 'Private title' } },
      },
      { name: 'setCommunicationPreferences', args: { newsletter: true, productUpdates: false } },
    );
    const seen = (await agent.pull(cursor, 5000)).body.changes;
    expect(seen.map((c) => `${c.op} ${keyOf(c)}`)).toEqual([
      `upsert user:${agent2.tokens.user.id}`,
    ]);
    expect(dataOf(seen[0]!)).toEqual({
      id: agent2.tokens.user.id,
      name: 'Agent Two Renamed',
      email: 'agent2@acme.test',
      role: 'agent',
      active: true,
    });
    const own = (await agent2.pull(ownCursor, 5000)).body.changes;
    expect(own.map(keyOf).sort()).toEqual(
      ['profile', 'preferences', 'user'].map((e) => `${e}:${agent2.tokens.user.id}`).sort(),
    );
    expect(dataOf(own.find((c) => c.entity === 'profile')!)).toMatchObject({
      title: 'Private title',
    });
    expect(dataOf(own.find((c) => c.entity === 'preferences')!)).toMatchObject({
      newsletter: true,
      productUpdates: false,
    });

    // A company change reaches everyone; seats only the admin.
    const agentCursor = await headCursor(agent);
    const adminCursor = await headCursor(admin);
    await apply(admin, {
      name: 'updateCompany',
      args: { fields: { seats: 40, phone: '+1 555 010 9999' } },
    });
    const [toAgent] = (await agent.pull(agentCursor)).body.changes;
    const [toAdmin] = (await admin.pull(adminCursor)).body.changes;
    expect(toAgent).toMatchObject({ entity: 'company', data: { phone: '+1 555 010 9999' } });
    expect(dataOf(toAgent!)).not.toHaveProperty('seats');
    expect(toAdmin).toMatchObject({
      entity: 'company',
      data: { phone: '+1 555 010 9999', seats: 40 },
    });
  });
});

describe('cursor expiry', () => {
  it('answers 410 cursor_expired for a cursor of another epoch or visibility, or beyond the log', async () => {
    const first = await agent.pull('0', 100);
    const cursor = first.body.cursor;
    const epoch = first.body.epoch;
    expect(cursor.split('.')[1]).toBe(epoch);
    const otherEpoch = epoch === 'AAAAAAAAAAAA' ? 'BBBBBBBBBBBB' : 'AAAAAAAAAAAA';
    expectApiError(await agent.pull(editCursor(cursor, 1, otherEpoch)), 410, 'cursor_expired');
    expectApiError(await agent.pull(editCursor(cursor, 2, '7')), 410, 'cursor_expired');
    expectApiError(await agent.pull(editCursor(cursor, 3, '999999999')), 410, 'cursor_expired');
    const head = await headCursor(agent);
    expectApiError(await agent.pull(editCursor(head, 1, otherEpoch)), 410, 'cursor_expired');
    // A cursor of another tenant is one of another epoch.
    const globex = await t.api.session('globex', 'agent1@globex.test');
    expectApiError(await globex.pull(cursor, 100), 410, 'cursor_expired');
    expectApiError(await globex.pull(head), 410, 'cursor_expired');
    // The unedited cursors still work, and so does a pull from 0.
    expect((await agent.pull(cursor, 100)).status).toBe(200);
    expect((await agent.pull(head)).status).toBe(200);
    expect((await agent.pull('0', 10)).status).toBe(200);
  });

  it('expires the cursors of a user whose role changed, and only theirs', async () => {
    const agent5 = await t.api.session('acme', 'agent5@acme.test');
    const head = await headCursor(agent5);
    const midSnapshot = (await agent5.pull('0', 100)).body.cursor;
    const otherHead = await headCursor(agent);
    const before = await fullSnapshot(agent5);
    expect(dataOf(byEntity(before, 'company')[0]!)).not.toHaveProperty('seats');

    const patch = await t.api.call('PATCH', `/api/v1/admin/users/${agent5.tokens.user.id}`, {
      token: admin.token,
      body: { role: 'admin' },
    });
    expect(patch.status).toBe(200);

    expectApiError(await agent5.pull(head), 410, 'cursor_expired');
    expectApiError(await agent5.pull(midSnapshot, 100), 410, 'cursor_expired');
    expect((await agent.pull(otherHead)).status).toBe(200);

    const after = await newClient(agent5).pullAll('0', 5000);
    const rows = flatten(after);
    expect(dataOf(byEntity(rows, 'company')[0]!)).toHaveProperty('seats', 40);
    expect(dataOf(byEntity(rows, 'profile')[0]!)).toMatchObject({ role: 'admin' });
    const newHead = after.at(-1)!.cursor;
    expect((await agent5.pull(newHead)).status).toBe(200);

    // Back to agent: the admin-time cursor expires too.
    const back = await t.api.call('PATCH', `/api/v1/admin/users/${agent5.tokens.user.id}`, {
      token: admin.token,
      body: { role: 'agent' },
    });
    expect(back.status).toBe(200);
    expectApiError(await agent5.pull(newHead), 410, 'cursor_expired');
    expect(dataOf(byEntity(await fullSnapshot(agent5), 'company')[0]!)).not.toHaveProperty('seats');
  });

  function byEntity(changes: Change[], entity: string) {
    return changes.filter((c) => c.entity === entity);
  }

  it('expires cursors older than purged tombstones, while newer cursors and a pull from 0 still work', async () => {
    const old = await headCursor(agent);
    const snapshot = await fullSnapshot(agent);
    const ticket = snapshot.find((c) => c.entity === 'ticket')!;
    await apply(admin, { name: 'deleteTicket', args: { ticketId: ticket.id } });
    const afterDelete = await headCursor(agent);
    // Before retention runs, the old cursor gets the tombstone.
    const beforePurge = await agent.pull(old);
    expect(beforePurge.body.changes.some((c) => c.id === ticket.id && c.op === 'delete')).toBe(
      true,
    );

    const future = new Date(Date.now() + 86_400_000).toISOString();
    const past = new Date(Date.now() - 365 * 86_400_000).toISOString();
    await t.server.storage.purge(future, past);

    expectApiError(await agent.pull(old), 410, 'cursor_expired');
    const fresh = await agent.pull(afterDelete);
    expect(fresh.status).toBe(200);
    expect(fresh.body.changes).toEqual([]);
    const again = flatten(await newClient(agent).pullAll('0', 5000));
    // A snapshot paged in small pages starts below the purged tombstones: it must still finish.
    const paged = flatten(await newClient(agent).pullAll('0', 7));
    expect(replay(paged)).toEqual(replay(again));
    expect(again.some((c) => c.op === 'delete')).toBe(false);
    expect(again.some((c) => c.id === ticket.id)).toBe(false);
    expect(replay(again)).toEqual(
      replay(snapshot.filter((c) => c.id !== ticket.id && dataOf(c).ticketId !== ticket.id)),
    );
  });
});
