import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, MutationEnvelope, PushResponse } from '../../../src-shared/protocol/sync';
import { SyncSession, type ApiResponse } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * POST /api/v1/sync/push against the real service (PROTOCOL.md, "Push"): every v1 mutation,
 * idempotent re-sends, gaps, poison mutations, per-field conflicts, envelope validation, client
 * binding and concurrency. Each test takes fresh client ids, so mutation ids start at 1.
 */

/** Row data as pulled, read loosely in assertions. */

type Data = Record<string, any>;
type Mutation = Omit<MutationEnvelope, 'id'>;

let t: TestServer;
let admin: SyncSession;
let agent1: SyncSession;
let agent2: SyncSession;
let globexAdmin: SyncSession;
/** A snapshot of acme taken at the start, to pick existing tickets and contacts from. */
let seed: Change[];

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  [admin, agent1, agent2, globexAdmin] = await Promise.all([
    t.api.session('acme', 'admin@acme.test'),
    t.api.session('acme', 'agent1@acme.test'),
    t.api.session('acme', 'agent2@acme.test'),
    t.api.session('globex', 'admin@globex.test'),
  ]);
  seed = (await fresh(admin).pullAll('0', 5000)).flatMap((p) => p.changes);
});
afterAll(() => t.close());

const keyOf = (c: { entity: string; id: string }) => `${c.entity}:${c.id}`;
const dataOf = (c: Change): Data => (c.op === 'upsert' ? c.data : {}) as Data;

/** Another replica of the same user: same token, a new client id (mutation ids from 1). */
function fresh(session: SyncSession, clientId: string = randomUUID()): SyncSession {
  return new SyncSession(t.api, session.tokens, clientId);
}

/** The tenant as `session`'s user sees it now, read by a throwaway client. */
async function state(session: SyncSession): Promise<Map<string, Data>> {
  const rows = new Map<string, Data>();
  for (const page of await fresh(session).pullAll('0', 5000)) {
    for (const c of page.changes) {
      if (c.op === 'upsert') rows.set(keyOf(c), c.data as Data);
      else rows.delete(keyOf(c));
    }
  }
  return rows;
}

/** Every change of a full pull, seqs included: equal before and after means nothing was rewritten. */
async function rawSnapshot(session: SyncSession): Promise<Change[]> {
  return (await fresh(session).pullAll('0', 5000)).flatMap((p) => p.changes);
}

const seedTickets = () => seed.filter((c) => c.entity === 'ticket' && c.op === 'upsert');
const seedContact = () => seed.find((c) => c.entity === 'contact')!.id;
let nextSeedTicket = 0;
/** A seeded ticket no other test has used. */
function takeTicket(): Data {
  return dataOf(seedTickets()[nextSeedTicket++]!);
}

async function ok(response: Promise<ApiResponse<PushResponse>>): Promise<PushResponse> {
  const r = await response;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

function rawPush(session: SyncSession, body: unknown, headers: Record<string, string> = {}) {
  return t.api.call<PushResponse>('POST', '/api/v1/sync/push', {
    token: session.token,
    headers: { 'x-client-id': session.clientId, ...headers },
    body,
  });
}

const noop: Mutation = { name: 'noop', args: {} };
const comment = (ticketId: string, body = 'a reply', id: string = randomUUID()): Mutation => ({
  name: 'addComment',
  args: { id, ticketId, body, public: true },
});

function commentsOn(rows: Map<string, Data>, ticketId: string): Data[] {
  return [...rows.values()].filter((d) => d.ticketId === ticketId && d.body !== undefined);
}

describe('every v1 mutation', () => {
  it('applies ticket and contact mutations, with service-assigned ticket numbers', async () => {
    const s = fresh(agent1);
    const maxNumber = Math.max(...seedTickets().map((c) => dataOf(c).number as number));
    const contactId = randomUUID();
    const ticketId = randomUUID();
    const secondTicketId = randomUUID();
    const commentId = randomUUID();
    const agent2Id = agent2.tokens.user.id;
    const body = await ok(
      s.send(
        {
          name: 'createContact',
          args: {
            id: contactId,
            name: 'Pat Doe',
            email: 'pat@example.com',
            phone: '+1 555 123 4567',
          },
        },
        {
          name: 'createTicket',
          args: {
            id: ticketId,
            subject: 'Printer on fire',
            description: 'Smoke everywhere.',
            requesterId: contactId,
            priority: 'high',
            type: 'incident',
            tags: ['Printer', 'smoke', 'printer'],
          },
        },
        {
          name: 'createTicket',
          args: { id: secondTicketId, subject: 'Second', description: '', requesterId: contactId },
        },
        {
          name: 'setTicketFields',
          args: {
            ticketId,
            fields: { status: 'open', assigneeId: agent2Id, subject: 'Printer still on fire' },
          },
        },
        { name: 'addTags', args: { ticketId, tags: ['hardware', 'urgent-ish'] } },
        { name: 'removeTags', args: { ticketId, tags: ['smoke', 'not-there'] } },
        { name: 'addComment', args: { id: commentId, ticketId, body: 'On my way', public: false } },
        noop,
      ),
    );
    expect(body.results).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((id) => ({ id, status: 'applied' })));
    expect(body.lastMutationId).toBe(8);
    expect(typeof body.epoch).toBe('string');

    const rows = await state(agent1);
    expect(rows.get(`contact:${contactId}`)).toMatchObject({
      name: 'Pat Doe',
      email: 'pat@example.com',
      phone: '+1 555 123 4567',
    });
    const ticket = rows.get(`ticket:${ticketId}`)!;
    expect(ticket).toMatchObject({
      subject: 'Printer still on fire',
      description: 'Smoke everywhere.',
      status: 'open',
      priority: 'high',
      type: 'incident',
      requesterId: contactId,
      assigneeId: agent2Id,
      tags: ['hardware', 'printer', 'urgent-ish'],
      createdBy: agent1.tokens.user.id,
      number: maxNumber + 1,
    });
    expect(rows.get(`ticket:${secondTicketId}`)).toMatchObject({
      number: maxNumber + 2,
      status: 'new',
      priority: 'normal',
      type: null,
      assigneeId: null,
      tags: [],
    });
    expect(rows.get(`comment:${commentId}`)).toMatchObject({
      ticketId,
      authorId: agent1.tokens.user.id,
      body: 'On my way',
      public: false,
    });
  });

  it('rejects a client-sent ticket number and a missing requester', async () => {
    const s = fresh(agent1);
    const ticketId = randomUUID();
    const body = await ok(
      s.send(
        {
          name: 'createTicket',
          args: {
            id: ticketId,
            subject: 'x',
            description: '',
            requesterId: seedContact(),
            number: 1,
          },
        },
        {
          name: 'createTicket',
          args: { id: ticketId, subject: 'x', description: '', requesterId: randomUUID() },
        },
      ),
    );
    expect(body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'bad_request' } });
    expect(body.results[1]).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
    expect((await state(agent1)).has(`ticket:${ticketId}`)).toBe(false);
  });

  it('updates the own profile (clearing optional fields with "" or null) and preferences', async () => {
    const s = fresh(agent2);
    const id = agent2.tokens.user.id;
    await ok(
      s.send(
        {
          name: 'updateProfile',
          args: {
            fields: { name: 'Agent Two', title: 'Lead', phone: '+1 555 000 1111', fax: '+1 555 2' },
          },
        },
        { name: 'setCommunicationPreferences', args: { newsletter: true, productUpdates: false } },
      ),
    );
    let rows = await state(agent2);
    expect(rows.get(`profile:${id}`)).toMatchObject({
      name: 'Agent Two',
      title: 'Lead',
      phone: '+1 555 000 1111',
      fax: '+1 555 2',
      department: 'Customer support',
    });
    expect(rows.get(`user:${id}`)).toMatchObject({ name: 'Agent Two' });
    expect(rows.get(`preferences:${id}`)).toMatchObject({
      newsletter: true,
      productUpdates: false,
    });

    const cleared = await ok(
      s.send({ name: 'updateProfile', args: { fields: { title: '', fax: null, department: '' } } }),
    );
    expect(cleared.results).toEqual([{ id: 3, status: 'applied' }]);
    rows = await state(agent2);
    expect(rows.get(`profile:${id}`)).toMatchObject({
      name: 'Agent Two',
      title: null,
      fax: null,
      department: null,
      phone: '+1 555 000 1111',
    });
    // The name is required: clearing it is a bad request.
    const required = await ok(s.send({ name: 'updateProfile', args: { fields: { name: '' } } }));
    expect(required.results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'bad_request' },
    });
    expect((await state(agent2)).get(`profile:${id}`)).toMatchObject({ name: 'Agent Two' });
  });

  it('lets an admin update the company (seats included) and delete a ticket with its comments', async () => {
    const s = fresh(admin);
    const before = await state(admin);
    // From the end of the seed: takeTicket() hands out tickets from its start.
    const target = seedTickets()
      .map(dataOf)
      .reverse()
      .find((d) => commentsOn(before, d.id).length > 0);
    const commentIds = commentsOn(before, target!.id).map((c) => c.id as string);
    const cursor = (await s.pullAll('0', 5000)).at(-1)!.cursor;
    await ok(
      s.send(
        {
          name: 'updateCompany',
          args: {
            fields: {
              phone: '+1 555 999 0000',
              website: 'https://help.acme.test',
              seats: 30,
              address: null,
            },
          },
        },
        { name: 'deleteTicket', args: { ticketId: target!.id } },
      ),
    ).then((b) => expect(b.results.map((r) => r.status)).toEqual(['applied', 'applied']));

    const rows = await state(admin);
    expect(rows.get(`company:${admin.tokens.tenant.id}`)).toMatchObject({
      name: 'Acme Field Services',
      phone: '+1 555 999 0000',
      website: 'https://help.acme.test',
      address: null,
      seats: 30,
    });
    expect(rows.has(`ticket:${target!.id}`)).toBe(false);
    for (const id of commentIds) expect(rows.has(`comment:${id}`)).toBe(false);
    const incremental = await s.pull(cursor, 5000);
    expect(
      incremental.body.changes
        .filter((c) => c.op === 'delete')
        .map(keyOf)
        .sort(),
    ).toEqual([`ticket:${target!.id}`, ...commentIds.map((id) => `comment:${id}`)].sort());
    // Deleting it again: the ticket is gone.
    const again = await ok(s.send({ name: 'deleteTicket', args: { ticketId: target!.id } }));
    expect(again.results[0]).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
  });
});

describe('idempotence and ordering', () => {
  it('stamps the mutations of one push in order, so comments sort as written whatever their ids', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    // Ids in descending order: where two comments share a millisecond, the id decides.
    const ids: string[] = Array.from({ length: 6 }, () => randomUUID())
      .sort()
      .reverse();
    await ok(
      s.push(
        ids.map((id, i) => ({ id: i + 1, ...comment(ticket.id as string, `reply ${i}`, id) })),
      ),
    );
    const mine = commentsOn(await state(agent1), ticket.id as string).filter((c) =>
      ids.includes(c.id as string),
    );
    const stamps = ids.map((id) => mine.find((c) => c.id === id)!.createdAt as string);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    const shown = [...mine].sort(
      (a, b) =>
        (a.createdAt as string).localeCompare(b.createdAt as string) ||
        (a.id as string).localeCompare(b.id as string),
    );
    expect(shown.map((c) => c.id)).toEqual(ids);
  });

  it('changes nothing when a batch is re-sent, answering duplicate with each original result', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const other = ticket.status === 'pending' ? 'on_hold' : 'pending';
    const batch: MutationEnvelope[] = [
      { id: 1, ...comment(ticket.id, 'idempotent reply') },
      { id: 2, name: 'addTags', args: { ticketId: ticket.id, tags: ['idempotent'] } },
      {
        id: 3,
        name: 'setTicketFields',
        args: { ticketId: ticket.id, fields: { status: other } },
        base: { status: 'not-the-server-value' },
      },
      {
        id: 4,
        name: 'setTicketFields',
        args: { ticketId: randomUUID(), fields: { status: 'open' } },
      },
      { id: 5, ...noop },
    ];
    const first = await ok(s.push(batch));
    expect(first.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'conflict',
      'rejected',
      'applied',
    ]);
    expect(first.lastMutationId).toBe(5);
    const before = await rawSnapshot(agent1);

    const second = await ok(s.push(batch));
    expect(second.lastMutationId).toBe(5);
    expect(second.results).toEqual(
      first.results.map((original) => ({ id: original.id, status: 'duplicate', original })),
    );
    expect(await rawSnapshot(agent1)).toEqual(before);
    expect(
      commentsOn(await state(agent1), ticket.id).filter((c) => c.body === 'idempotent reply'),
    ).toHaveLength(1);

    // A batch overlapping the recorded id: the old part is duplicate, the new part applies.
    const third = await ok(
      s.push([batch[3]!, batch[4]!, { id: 6, ...comment(ticket.id, 'after overlap') }]),
    );
    expect(third.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'applied']);
    expect(third.lastMutationId).toBe(6);
  });

  it('matches a re-sent mutation by content, not by key order', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const id = randomUUID();
    await ok(
      s.push([
        { id: 1, name: 'addComment', args: { id, ticketId: ticket.id, body: 'b', public: true } },
      ]),
    );
    const again = await ok(
      s.push([
        { id: 1, name: 'addComment', args: { public: true, body: 'b', ticketId: ticket.id, id } },
      ]),
    );
    expect(again.results[0]).toEqual({
      id: 1,
      status: 'duplicate',
      original: { id: 1, status: 'applied' },
    });
  });

  it('rejects a re-used id with other content as id_reused and writes nothing', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    await ok(s.push([{ id: 1, ...noop }]));
    const commentId = randomUUID();
    const reused = await ok(s.push([{ id: 1, ...comment(ticket.id, 'sneaky', commentId) }]));
    expect(reused.results).toEqual([
      { id: 1, status: 'rejected', error: { code: 'id_reused', message: expect.any(String) } },
    ]);
    expect(reused.lastMutationId).toBe(1);
    const baseOnly = await ok(s.push([{ id: 1, ...noop, base: { status: 'open' } }]));
    expect(baseOnly.results[0]).toMatchObject({ status: 'rejected', error: { code: 'id_reused' } });
    expect((await state(agent1)).has(`comment:${commentId}`)).toBe(false);
    // The next id is still 2.
    const next = await ok(s.push([{ id: 2, ...noop }]));
    expect(next.results).toEqual([{ id: 2, status: 'applied' }]);
  });

  it('answers 409 mutation_gap with lastMutationId and processes nothing', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const newClient = await rawPush(s, { clientId: s.clientId, mutations: [{ id: 2, ...noop }] });
    expectApiError(newClient, 409, 'mutation_gap');
    expect(newClient.body).toMatchObject({ error: { lastMutationId: 0 } });

    await ok(
      s.push([
        { id: 1, ...noop },
        { id: 2, ...noop },
      ]),
    );
    const commentId = randomUUID();
    const gap = await s.push([
      { id: 4, ...comment(ticket.id, 'gap', commentId) },
      { id: 5, ...noop },
    ]);
    expectApiError(gap, 409, 'mutation_gap');
    expect(gap.body).toMatchObject({ error: { lastMutationId: 2 } });
    expect((await state(agent1)).has(`comment:${commentId}`)).toBe(false);
    expect((await s.pull('0', 1)).body.lastMutationId).toBe(2);

    const filled = await ok(
      s.push([
        { id: 3, ...noop },
        { id: 4, ...comment(ticket.id, 'gap', commentId) },
        { id: 5, ...noop },
      ]),
    );
    expect(filled.results.map((r) => [r.id, r.status])).toEqual([
      [3, 'applied'],
      [4, 'applied'],
      [5, 'applied'],
    ]);
    expect((await state(agent1)).has(`comment:${commentId}`)).toBe(true);
  });
});

describe('poison mutations', () => {
  it('rejects each with its code while the next one in the batch still applies', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const applied = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const body = await ok(
      s.send(
        { name: 'frobnicate', args: {} },
        comment(ticket.id, 'after unknown name', applied[0]),
        { name: 'addComment', args: { id: randomUUID(), ticketId: ticket.id, public: true } },
        comment(ticket.id, 'after invalid args', applied[1]),
        { name: 'createContact', args: { id: randomUUID(), name: 'Extra', nickname: 'x' } },
        comment(ticket.id, 'after unknown arg', applied[2]),
        { name: 'updateCompany', args: { fields: { name: 'Hacked Inc' } } },
        { name: 'deleteTicket', args: { ticketId: ticket.id } },
        comment(ticket.id, 'after forbidden', applied[3]),
        { name: 'setTicketFields', args: { ticketId: randomUUID(), fields: { status: 'open' } } },
        comment(randomUUID(), 'on a missing ticket'),
        comment(ticket.id, 'after not found', applied[4]),
        { name: 'setTicketFields', args: { ticketId: ticket.id, fields: { status: 'bogus' } } },
      ),
    );
    const codes = body.results.map((r) => (r.status === 'rejected' ? r.error.code : r.status));
    expect(codes).toEqual([
      'bad_request',
      'applied',
      'bad_request',
      'applied',
      'bad_request',
      'applied',
      'forbidden',
      'forbidden',
      'applied',
      'not_found',
      'not_found',
      'applied',
      'bad_request',
    ]);
    expect(body.results.map((r) => r.id)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(body.lastMutationId).toBe(13);
    const invalid = body.results[2]!;
    expect(invalid.status === 'rejected' && invalid.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body' })]),
    );

    const rows = await state(agent1);
    for (const id of applied) expect(rows.has(`comment:${id}`)).toBe(true);
    expect(rows.get(`ticket:${ticket.id}`)).toMatchObject({ status: ticket.status });
    expect(rows.get(`company:${agent1.tokens.tenant.id}`)).toMatchObject({
      name: 'Acme Field Services',
    });
    expect((await s.pull('0', 1)).body.lastMutationId).toBe(13);
    // Processed means done: the next push continues at 14.
    expect((await ok(s.send(noop))).results).toEqual([{ id: 14, status: 'applied' }]);
  });

  it('answers an id of another tenant exactly as a missing one', async () => {
    const globexTicket = (await fresh(globexAdmin).pullAll('0', 5000))
      .flatMap((p) => p.changes)
      .find((c) => c.entity === 'ticket')!;
    const acmeTicket = takeTicket();
    const fromAcme = await ok(
      fresh(agent1).send(
        {
          name: 'setTicketFields',
          args: { ticketId: globexTicket.id, fields: { status: 'closed' } },
        },
        comment(globexTicket.id, 'across tenants'),
        { name: 'addTags', args: { ticketId: globexTicket.id, tags: ['leak'] } },
      ),
    );
    const fromGlobex = await ok(
      fresh(globexAdmin).send({ name: 'deleteTicket', args: { ticketId: acmeTicket.id } }),
    );
    for (const r of [...fromAcme.results, ...fromGlobex.results]) {
      expect(r).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
    }
    const missing = await ok(
      fresh(agent1).send({
        name: 'setTicketFields',
        args: { ticketId: randomUUID(), fields: { status: 'closed' } },
      }),
    );
    const strip = (r: Data) => ({ ...r, id: undefined });
    expect(strip(fromAcme.results[0]!)).toEqual(strip(missing.results[0]!));
    expect((await state(globexAdmin)).get(`ticket:${globexTicket.id}`)).toEqual(
      dataOf(globexTicket),
    );
    expect((await state(agent1)).has(`ticket:${acmeTicket.id}`)).toBe(true);
  });

  it('rejects a mutation larger than 256 KiB as payload_too_large and applies the others', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const small = randomUUID();
    const large = randomUUID();
    const after = randomUUID();
    const response = await s.send(
      comment(ticket.id, 'small', small),
      comment(ticket.id, 'x'.repeat(300 * 1024), large),
      comment(ticket.id, 'after', after),
    );
    expect(response.status).toBe(200);
    expect(response.body.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(response.body.results[1]).toMatchObject({ error: { code: 'payload_too_large' } });
    const rows = await state(agent1);
    expect(rows.has(`comment:${small}`)).toBe(true);
    expect(rows.has(`comment:${large}`)).toBe(false);
    expect(rows.has(`comment:${after}`)).toBe(true);
  });
});

describe('per-field conflicts', () => {
  it('reports a field changed by someone else as a conflict and writes the other fields', async () => {
    const a = fresh(agent1);
    const b = fresh(agent2);
    const ticket = takeTicket();
    const { status: seenStatus, priority: seenPriority } = (await state(agent1)).get(
      `ticket:${ticket.id}`,
    )!;
    const bStatus = seenStatus === 'solved' ? 'closed' : 'solved';
    const aStatus = seenStatus === 'pending' ? 'on_hold' : 'pending';
    const aPriority = seenPriority === 'urgent' ? 'low' : 'urgent';

    const fromB = await ok(
      b.send({
        name: 'setTicketFields',
        args: { ticketId: ticket.id, fields: { status: bStatus } },
        base: { status: seenStatus },
      }),
    );
    expect(fromB.results[0]).toEqual({ id: 1, status: 'applied' });

    const fromA = await ok(
      a.send({
        name: 'setTicketFields',
        args: { ticketId: ticket.id, fields: { status: aStatus, priority: aPriority } },
        base: { status: seenStatus, priority: seenPriority },
      }),
    );
    expect(fromA.results[0]).toEqual({
      id: 1,
      status: 'conflict',
      conflicts: [{ field: 'status', server: bStatus, mine: aStatus }],
      field: 'status',
      server: bStatus,
      mine: aStatus,
    });
    expect(fromA.lastMutationId).toBe(1);
    expect((await state(agent1)).get(`ticket:${ticket.id}`)).toMatchObject({
      status: bStatus,
      priority: aPriority,
    });

    // Without a base the field is written blindly.
    await ok(
      a.send({
        name: 'setTicketFields',
        args: { ticketId: ticket.id, fields: { status: aStatus } },
      }),
    ).then((r) => expect(r.results[0]).toEqual({ id: 2, status: 'applied' }));
    expect((await state(agent1)).get(`ticket:${ticket.id}`)).toMatchObject({ status: aStatus });

    // Base keys of fields the mutation does not set are ignored.
    const ignored = await ok(
      a.send({
        name: 'setTicketFields',
        args: { ticketId: ticket.id, fields: { priority: 'low' } },
        base: { priority: aPriority, status: 'something-stale', subject: 'stale too' },
      }),
    );
    expect(ignored.results[0]).toEqual({ id: 3, status: 'applied' });

    // The same change made on both sides is no conflict.
    const same = await ok(
      b.send({
        name: 'setTicketFields',
        args: { ticketId: ticket.id, fields: { priority: 'low' } },
        base: { priority: seenPriority },
      }),
    );
    expect(same.results[0]).toEqual({ id: 2, status: 'applied' });

    // Two stale fields: both listed, the first also at the top level, the fresh field written.
    const two = await ok(
      b.send({
        name: 'setTicketFields',
        args: {
          ticketId: ticket.id,
          fields: { status: 'closed', priority: 'normal', subject: 'Renamed' },
        },
        base: { status: bStatus, priority: seenPriority === 'low' ? 'high' : seenPriority },
      }),
    );
    const result = two.results[0]!;
    expect(result.status).toBe('conflict');
    if (result.status !== 'conflict') return;
    expect(result.conflicts).toHaveLength(2);
    expect(result.conflicts).toEqual(
      expect.arrayContaining([
        { field: 'status', server: aStatus, mine: 'closed' },
        { field: 'priority', server: 'low', mine: 'normal' },
      ]),
    );
    expect(result).toMatchObject(result.conflicts[0]!);
    expect((await state(agent1)).get(`ticket:${ticket.id}`)).toMatchObject({
      status: aStatus,
      priority: 'low',
      subject: 'Renamed',
    });
  });

  it('checks conflicts on profile and company fields too', async () => {
    const a = fresh(admin);
    const b = fresh(admin);
    const company = (await state(admin)).get(`company:${admin.tokens.tenant.id}`)!;
    await ok(b.send({ name: 'updateCompany', args: { fields: { phone: '+1 555 111 1111' } } }));
    const r = await ok(
      a.send({
        name: 'updateCompany',
        args: { fields: { phone: '+1 555 222 2222', seats: 31 } },
        base: { phone: company.phone, seats: company.seats },
      }),
    );
    expect(r.results[0]).toMatchObject({
      status: 'conflict',
      conflicts: [{ field: 'phone', server: '+1 555 111 1111', mine: '+1 555 222 2222' }],
    });
    expect((await state(admin)).get(`company:${admin.tokens.tenant.id}`)).toMatchObject({
      phone: '+1 555 111 1111',
      seats: 31,
    });
  });
});

describe('envelope validation', () => {
  it('answers 400 for an invalid envelope and processes none of it', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const commentId = randomUUID();
    const good = { id: 1, ...comment(ticket.id, 'never', commentId) };
    const bad: Array<[string, unknown, Record<string, string>?]> = [
      ['clientId differs from the header', { clientId: randomUUID(), mutations: [good] }],
      ['clientId not a UUID', { clientId: 'abc', mutations: [good] }, { 'x-client-id': 'abc' }],
      ['ids not consecutive', { clientId: s.clientId, mutations: [good, { id: 3, ...noop }] }],
      ['ids falling', { clientId: s.clientId, mutations: [{ id: 2, ...noop }, good] }],
      ['ids repeated', { clientId: s.clientId, mutations: [good, good] }],
      ['non-integer id', { clientId: s.clientId, mutations: [{ ...good, id: 1.5 }] }],
      ['string id', { clientId: s.clientId, mutations: [{ ...good, id: '1' }] }],
      ['id 0', { clientId: s.clientId, mutations: [{ ...good, id: 0 }] }],
      ['missing args', { clientId: s.clientId, mutations: [{ id: 1, name: 'noop' }] }],
      [
        'args not an object',
        { clientId: s.clientId, mutations: [{ id: 1, name: 'noop', args: [] }] },
      ],
      ['missing name', { clientId: s.clientId, mutations: [{ id: 1, args: {} }] }],
      ['base not an object', { clientId: s.clientId, mutations: [{ ...good, base: 'x' }] }],
      ['unknown mutation member', { clientId: s.clientId, mutations: [{ ...good, extra: 1 }] }],
      ['unknown body member', { clientId: s.clientId, mutations: [good], since: 0 }],
      ['mutations not a list', { clientId: s.clientId, mutations: good }],
      ['no mutations member', { clientId: s.clientId }],
      [
        'more than 1000 mutations',
        {
          clientId: s.clientId,
          mutations: Array.from({ length: 1001 }, (_, i) => ({ id: i + 1, ...noop })),
        },
      ],
    ];
    for (const [why, body, headers] of bad) {
      const response = await rawPush(s, body, headers);
      expect(response.status, why).toBe(400);
      expectApiError(response, 400, 'bad_request');
    }
    const noHeader = await t.api.call('POST', '/api/v1/sync/push', {
      token: s.token,
      body: { clientId: s.clientId, mutations: [good] },
    });
    expectApiError(noHeader, 400, 'bad_request');
    const notJson = await t.api.call('POST', '/api/v1/sync/push', {
      token: s.token,
      clientId: s.clientId,
      rawBody: '{"clientId": ',
    });
    expectApiError(notJson, 400, 'bad_request');
    const tooBig = await t.api.call('POST', '/api/v1/sync/push', {
      token: s.token,
      clientId: s.clientId,
      body: {
        clientId: s.clientId,
        mutations: [{ ...good, args: { ...good.args, body: 'x'.repeat(1100 * 1024) } }],
      },
    });
    expectApiError(tooBig, 413, 'payload_too_large');

    // Nothing was processed: the client still starts at 1.
    expect((await s.pull('0', 1)).body.lastMutationId).toBe(0);
    expect((await state(agent1)).has(`comment:${commentId}`)).toBe(false);
    const first = await ok(s.push([good]));
    expect(first.results).toEqual([{ id: 1, status: 'applied' }]);
  });

  it('accepts exactly 1000 mutations in one batch', async () => {
    const s = fresh(agent1);
    const body = await ok(s.push(Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, ...noop }))));
    expect(body.results).toHaveLength(1000);
    expect(body.lastMutationId).toBe(1000);
  });
});

describe('client ids', () => {
  it('binds a client id to its first user: another user of the tenant gets 403 on push and pull', async () => {
    const mine = fresh(agent1);
    await ok(mine.push([{ id: 1, ...noop }]));
    const thief = fresh(agent2, mine.clientId);
    expectApiError(await thief.push([{ id: 2, ...noop }]), 403, 'forbidden');
    expectApiError(await thief.push([{ id: 1, ...noop }]), 403, 'forbidden');
    expectApiError(await thief.pull('0', 10), 403, 'forbidden');
    // The owner is unaffected.
    expect((await ok(mine.push([{ id: 2, ...noop }]))).lastMutationId).toBe(2);
    expect((await mine.pull('0', 1)).body.lastMutationId).toBe(2);

    // A binding made by a pull counts too.
    const puller = fresh(agent2);
    expect((await puller.pull('0', 1)).status).toBe(200);
    expectApiError(
      await fresh(agent1, puller.clientId).push([{ id: 1, ...noop }]),
      403,
      'forbidden',
    );
    // The same user with another session (a new log-in) may use it.
    const again = await t.api.session('acme', 'agent2@acme.test');
    expect(
      (await ok(fresh(again, puller.clientId).push([{ id: 1, ...noop }]))).lastMutationId,
    ).toBe(1);
  });

  it('keeps separate state for the same client id in another tenant', async () => {
    const clientId = randomUUID();
    const acme = fresh(agent1, clientId);
    const globex = fresh(globexAdmin, clientId);
    await ok(
      acme.push([
        { id: 1, ...noop },
        { id: 2, ...noop },
        { id: 3, ...noop },
      ]),
    );
    const first = await ok(
      globex.push([{ id: 1, name: 'createContact', args: { id: randomUUID(), name: 'G' } }]),
    );
    expect(first.results).toEqual([{ id: 1, status: 'applied' }]);
    expect(first.lastMutationId).toBe(1);
    expect((await globex.pull('0', 1)).body.lastMutationId).toBe(1);
    expect((await acme.pull('0', 1)).body.lastMutationId).toBe(3);
  });
});

describe('concurrency and commutativity', () => {
  it('applies each mutation once when the same batch is pushed twice at the same time', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const before = commentsOn(await state(agent1), ticket.id).length;
    const batch: MutationEnvelope[] = Array.from({ length: 5 }, (_, i) => ({
      id: i + 1,
      ...comment(ticket.id, `concurrent ${i}`),
    }));
    const responses = await Promise.all([s.push(batch), s.push(batch), s.push(batch.slice(0, 3))]);
    for (const r of responses) expect(r.status).toBe(200);
    const statuses = responses.flatMap((r) => r.body.results.map((x) => `${x.id}:${x.status}`));
    for (let id = 1; id <= 5; id++) {
      expect(statuses.filter((x) => x === `${id}:applied`)).toHaveLength(1);
    }
    expect(statuses.filter((x) => x.endsWith(':duplicate'))).toHaveLength(8);
    const after = commentsOn(await state(agent1), ticket.id);
    expect(after.length).toBe(before + 5);
    expect(
      after
        .filter((c) => String(c.body).startsWith('concurrent'))
        .map((c) => c.body)
        .sort(),
    ).toEqual(batch.map((m) => m.args.body).sort());
  });

  it('gives the same tag set whatever order two clients add and remove different tags in', async () => {
    const setup = fresh(admin);
    const [t1, t2, t3] = [takeTicket(), takeTicket(), takeTicket()];
    const initial = ['keep', 'drop-a', 'drop-b'];
    for (const ticket of [t1!, t2!, t3!]) {
      await ok(
        setup.send({
          name: 'removeTags',
          args: { ticketId: ticket.id, tags: ticket.tags.length ? ticket.tags : ['none'] },
        }),
      );
      await ok(setup.send({ name: 'addTags', args: { ticketId: ticket.id, tags: initial } }));
    }
    const aOps = (ticketId: string): Mutation[] => [
      { name: 'addTags', args: { ticketId, tags: ['alpha'] } },
      { name: 'removeTags', args: { ticketId, tags: ['drop-a'] } },
    ];
    const bOps = (ticketId: string): Mutation[] => [
      { name: 'removeTags', args: { ticketId, tags: ['drop-b'] } },
      { name: 'addTags', args: { ticketId, tags: ['beta', 'Alpha'] } },
    ];
    const a = fresh(agent1);
    const b = fresh(agent2);
    // t1: all of A, then all of B. t2: B first. t3: both at once, interleaved.
    await ok(a.send(...aOps(t1!.id)));
    await ok(b.send(...bOps(t1!.id)));
    await ok(b.send(...bOps(t2!.id)));
    await ok(a.send(...aOps(t2!.id)));
    const [a3, b3] = [aOps(t3!.id), bOps(t3!.id)];
    await Promise.all([a.send(a3[0]!), b.send(b3[0]!)]);
    await Promise.all([b.send(b3[1]!), a.send(a3[1]!)]);

    const rows = await state(agent1);
    for (const ticket of [t1!, t2!, t3!]) {
      expect(rows.get(`ticket:${ticket.id}`)!.tags).toEqual(['alpha', 'beta', 'keep']);
    }
  });

  it('only appends comments: a comment id cannot be reused and there is no way to edit one', async () => {
    const s = fresh(agent1);
    const ticket = takeTicket();
    const id = randomUUID();
    await ok(s.send(comment(ticket.id, 'original text', id)));
    const other = takeTicket();
    const body = await ok(
      s.send(
        comment(ticket.id, 'replaced text', id),
        comment(other.id, 'moved', id),
        { name: 'editComment', args: { id, body: 'edited' } },
        { name: 'updateComment', args: { id, body: 'edited' } },
        { name: 'deleteComment', args: { id } },
      ),
    );
    expect(body.results.map((r) => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    // PROTOCOL.md lists no code for an id that exists; the shared mutators answer already_exists.
    expect(['already_exists', 'bad_request']).toContain(
      (body.results[0] as { error: { code: string } }).error.code,
    );
    expect(body.results[2]).toMatchObject({ error: { code: 'bad_request' } });
    const rows = await state(agent1);
    expect(rows.get(`comment:${id}`)).toMatchObject({ ticketId: ticket.id, body: 'original text' });
  });
});

describe('retention', () => {
  it('answers duplicate with original null once results are purged, and forgets unseen clients', async () => {
    const kept = fresh(agent1);
    const ticket = takeTicket();
    const batch: MutationEnvelope[] = [
      { id: 1, ...comment(ticket.id, 'kept') },
      { id: 2, ...noop },
    ];
    await ok(kept.push(batch));
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const past = new Date(Date.now() - 365 * 86_400_000).toISOString();

    await t.server.storage.purge(future, past);
    const resent = await ok(kept.push(batch));
    expect(resent.results).toEqual([
      { id: 1, status: 'duplicate', original: null },
      { id: 2, status: 'duplicate', original: null },
    ]);
    expect(resent.lastMutationId).toBe(2);

    // Unseen for longer than the retention: the client looks new and may start again at 1.
    await t.server.storage.purge(past, future);
    expect((await kept.pull('0', 1)).body.lastMutationId).toBe(0);
    const restarted = await ok(kept.push([{ id: 1, ...noop }]));
    expect(restarted.results).toEqual([{ id: 1, status: 'applied' }]);
    expect(
      commentsOn(await state(agent1), ticket.id).filter((c) => c.body === 'kept'),
    ).toHaveLength(1);
  });
});
