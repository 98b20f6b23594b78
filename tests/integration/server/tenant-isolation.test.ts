import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment, Contact, Ticket, User } from '../../../src-shared/domain/entities';
import type { Change, MutationEnvelope, PushResponse } from '../../../src-shared/protocol/sync';
import { SyncSession, type ApiResponse } from '../../support/api-client';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * A user of one tenant can neither read nor change anything of another, by any endpoint or id, and
 * a foreign id answers exactly as a missing one (protocol: Transport and errors).
 */

let t: TestServer;

interface TenantView {
  changes: Change[];
  ids: Set<string>;
  tickets: Ticket[];
  comments: Comment[];
  contacts: Contact[];
  users: User[];
}

let acmeAdmin: SyncSession;
let acmeAgent: SyncSession;
let globexAdmin: SyncSession;
let globexAgent: SyncSession;
let acme: TenantView;
let globex: TenantView;
/** Where acme's change log stood after the setup: nothing globex does may move it. */
let acmeCursor: string;

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

async function snapshot(session: SyncSession): Promise<Change[]> {
  return (await session.pullAll('0', 5000)).flatMap((page) => page.changes);
}

function view(changes: Change[]): TenantView {
  const data = <T>(entity: string) =>
    changes.flatMap((c) => (c.entity === entity && c.op === 'upsert' ? [c.data as T] : []));
  return {
    changes,
    ids: new Set(changes.map((c) => c.id)),
    tickets: data<Ticket>('ticket'),
    comments: data<Comment>('comment'),
    contacts: data<Contact>('contact'),
    users: data<User>('user'),
  };
}

/** A fresh replica (client id) of a signed-in user, numbering its mutations from 1. */
const replica = (session: SyncSession) => new SyncSession(t.api, session.tokens, randomUUID());

async function expectAcmeUnchanged(): Promise<void> {
  const page = await acmeAdmin.pull(acmeCursor, 5000);
  expect(page.status).toBe(200);
  expect(page.body.changes).toEqual([]);
  expect(page.body.hasMore).toBe(false);
}

/** Sends the same mutations twice from two new replicas, built with acme ids and with random ids. */
async function pushForeignAndMissing(
  session: SyncSession,
  build: (ids: {
    ticket: string;
    contact: string;
    agent: string;
    admin: string;
    comment: string;
  }) => Array<Omit<MutationEnvelope, 'id'>>,
): Promise<{ foreign: ApiResponse<PushResponse>; missing: ApiResponse<PushResponse> }> {
  const acmeIds = {
    ticket: acme.tickets[0]!.id,
    contact: acme.contacts[0]!.id,
    agent: acme.users.find((u) => u.role === 'agent')!.id,
    admin: acme.users.find((u) => u.role === 'admin')!.id,
    comment: acme.comments[0]!.id,
  };
  const randomIds = {
    ticket: randomUUID(),
    contact: randomUUID(),
    agent: randomUUID(),
    admin: randomUUID(),
    comment: randomUUID(),
  };
  const foreign = await replica(session).send(...build(acmeIds));
  const missing = await replica(session).send(...build(randomIds));
  return { foreign, missing };
}

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'warn' });
  [acmeAdmin, acmeAgent, globexAdmin, globexAgent] = await Promise.all([
    t.api.session('acme', 'admin@acme.test'),
    t.api.session('acme', 'agent1@acme.test'),
    t.api.session('globex', 'admin@globex.test'),
    t.api.session('globex', 'agent1@globex.test'),
  ]);
  // Every acme user signs in, so that acme has enough active users to be counted in its stats.
  await Promise.all([2, 3, 4, 5].map((n) => t.api.login('acme', `agent${n}@acme.test`)));
  const acmePages = await acmeAdmin.pullAll('0', 5000);
  acmeCursor = acmePages.at(-1)!.cursor;
  acme = view(acmePages.flatMap((p) => p.changes));
  globex = view(await snapshot(globexAdmin));
  expect(acme.tickets.length).toBeGreaterThan(100);
  expect(acme.contacts.length).toBeGreaterThan(3);
  expect(globex.tickets.length).toBeGreaterThan(0);
  expect(globex.contacts.length).toBeGreaterThan(0);
});
afterAll(() => t?.close());

describe('reading', () => {
  it('never shows an acme id to globex, in any entity or field', async () => {
    for (const session of [globexAdmin, globexAgent]) {
      const pages = await session.pullAll('0', 100);
      const text = JSON.stringify(pages);
      const mentioned = new Set(text.match(UUID_IN_TEXT) ?? []);
      expect(mentioned.size).toBeGreaterThan(globex.tickets.length);
      expect([...mentioned].filter((id) => acme.ids.has(id))).toEqual([]);
      const companies = pages.flatMap((p) => p.changes).filter((c) => c.entity === 'company');
      expect(companies.map((c) => c.id)).toEqual([session.tokens.tenant.id]);
    }
    expect(globexAdmin.tokens.tenant.id).not.toBe(acmeAdmin.tokens.tenant.id);
    expect([...globex.ids].filter((id) => acme.ids.has(id))).toEqual([]);
  });

  it('keeps sync state per tenant: an acme client id is a new client for globex', async () => {
    const shared = randomUUID();
    const acmeReplica = new SyncSession(t.api, acmeAgent.tokens, shared);
    const sent = await acmeReplica.send(
      { name: 'noop', args: {} },
      { name: 'noop', args: {} },
      { name: 'noop', args: {} },
    );
    expect(sent.body.lastMutationId).toBe(3);

    const globexReplica = new SyncSession(t.api, globexAgent.tokens, shared);
    const pulled = await globexReplica.pull('0', 1);
    expect(pulled.status).toBe(200);
    expect(pulled.body.lastMutationId).toBe(0);
    const pushed = await globexReplica.send({ name: 'noop', args: {} });
    expect(pushed.status).toBe(200);
    expect(pushed.body.results).toEqual([{ id: 1, status: 'applied' }]);
    expect((await acmeReplica.pull('0', 1)).body.lastMutationId).toBe(3);
  });

  it('counts only the own tenant in the stats', async () => {
    const days = 366;
    const statsOf = async (session: SyncSession) => {
      const response = await t.api.call('GET', `/api/v1/admin/stats?days=${days}`, {
        token: session.token,
      });
      expect(response.status).toBe(200);
      return response.body;
    };
    const expected = (tickets: Ticket[]) => {
      const since = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
      const buckets = (key: (x: Ticket) => string) => {
        const groups = new Map<string, Ticket[]>();
        for (const x of tickets.filter((x) => x.createdAt >= since)) {
          groups.set(key(x), [...(groups.get(key(x)) ?? []), x]);
        }
        return [...groups].sort(([a], [b]) => (a < b ? -1 : 1));
      };
      const large = ([, group]: [string, Ticket[]]) =>
        new Set(group.map((x) => x.requesterId)).size >= 5;
      const byStatus = buckets((x) => x.status);
      const byDay = buckets((x) => `${x.createdAt.slice(0, 10)} ${x.status}`);
      return {
        ticketsByStatus: byStatus
          .filter(large)
          .map(([status, group]) => ({ status, tickets: group.length })),
        ticketsByDay: byDay.filter(large).map(([key, group]) => {
          const [day, status] = key.split(' ');
          return { day, status, tickets: group.length };
        }),
        suppressedBuckets:
          byStatus.length +
          byDay.length -
          byStatus.filter(large).length -
          byDay.filter(large).length,
      };
    };
    const globexNow = view(await snapshot(globexAdmin));
    const globexStats = await statsOf(globexAdmin);
    expect(globexStats).toMatchObject(expected(globexNow.tickets));
    expect(globexStats.ticketsByStatus.length).toBeGreaterThan(0);
    // globex has fewer than 5 users: counting anyone of acme would make this a number.
    expect(globexNow.users.length).toBeLessThan(5);
    expect(globexStats.activeUsers).toBeNull();

    const acmeStats = await statsOf(acmeAdmin);
    expect(acmeStats).toMatchObject(expected(acme.tickets));
    expect(acmeStats.activeUsers).toBe(6);
    expect(acmeStats.ticketsByStatus).not.toEqual(globexStats.ticketsByStatus);
  });
});

describe('changing through sync', () => {
  it('rejects edits of acme tickets exactly as edits of missing ones, and acme does not change', async () => {
    const { foreign, missing } = await pushForeignAndMissing(globexAdmin, (ids) => [
      {
        name: 'setTicketFields',
        args: { ticketId: ids.ticket, fields: { status: 'closed', subject: 'pwned' } },
      },
      {
        name: 'setTicketFields',
        args: { ticketId: ids.ticket, fields: { priority: 'low' } },
        base: { priority: 'urgent' },
      },
      { name: 'addTags', args: { ticketId: ids.ticket, tags: ['pwned'] } },
      {
        name: 'removeTags',
        args: { ticketId: ids.ticket, tags: [acme.tickets[0]!.tags[0] ?? 'billing'] },
      },
      {
        name: 'addComment',
        args: { id: randomUUID(), ticketId: ids.ticket, body: 'pwned', public: true },
      },
      { name: 'deleteTicket', args: { ticketId: ids.ticket } },
    ]);
    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.body.results.map((r) => r.status === 'rejected' && r.error.code)).toEqual(
      Array(6).fill('not_found'),
    );
    await expectAcmeUnchanged();
  });

  it('rejects acme contacts as requesters and acme users as assignees exactly as missing ones', async () => {
    const globexTicket = globex.tickets[0]!;
    const globexContact = globex.contacts[0]!;
    const globexCursor = (await globexAdmin.pullAll('0', 5000)).at(-1)!.cursor;
    const { foreign, missing } = await pushForeignAndMissing(globexAdmin, (ids) => [
      {
        name: 'createTicket',
        args: { id: randomUUID(), subject: 'S', description: 'D', requesterId: ids.contact },
      },
      {
        name: 'createTicket',
        args: {
          id: randomUUID(),
          subject: 'S',
          description: 'D',
          requesterId: globexContact.id,
          assigneeId: ids.agent,
        },
      },
      {
        name: 'setTicketFields',
        args: { ticketId: globexTicket.id, fields: { assigneeId: ids.agent } },
      },
      {
        name: 'setTicketFields',
        args: { ticketId: globexTicket.id, fields: { assigneeId: ids.admin, status: 'open' } },
      },
    ]);
    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.body.results.map((r) => r.status === 'rejected' && r.error.code)).toEqual(
      Array(4).fill('not_found'),
    );
    // Nothing was written to globex either.
    expect((await globexAdmin.pull(globexCursor, 5000)).body.changes).toEqual([]);
    await expectAcmeUnchanged();
  });

  it('answers an agent of globex deleting an acme ticket exactly as deleting a missing one', async () => {
    const { foreign, missing } = await pushForeignAndMissing(globexAgent, (ids) => [
      { name: 'deleteTicket', args: { ticketId: ids.ticket } },
      { name: 'addTags', args: { ticketId: ids.ticket, tags: ['x'] } },
    ]);
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.body.results.map((r) => r.status === 'rejected' && r.error.code)).toEqual([
      'forbidden',
      'not_found',
    ]);
    await expectAcmeUnchanged();
  });

  it('lets globex create rows whose ids equal acme ids; each tenant keeps its own row', async () => {
    const twinTicket = acme.tickets[1]!;
    const twinContact = acme.contacts[1]!;
    const twinComment = acme.comments.find((c) => c.ticketId !== twinTicket.id)!;
    const session = replica(globexAdmin);
    const before = (await session.pullAll('0', 5000)).at(-1)!.cursor;

    const created = await session.send(
      { name: 'createContact', args: { id: twinContact.id, name: 'Globex twin contact' } },
      {
        name: 'createTicket',
        args: {
          id: twinTicket.id,
          subject: 'Globex twin',
          description: 'mine',
          requesterId: twinContact.id,
        },
      },
      {
        name: 'addComment',
        args: { id: twinComment.id, ticketId: twinTicket.id, body: 'globex comment', public: true },
      },
      { name: 'setTicketFields', args: { ticketId: twinTicket.id, fields: { status: 'solved' } } },
    );
    expect(created.status).toBe(200);
    expect(created.body.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ]);

    const globexRows = (await session.pullAll(before, 5000)).flatMap((p) => p.changes);
    const globexTicket = globexRows.find((c) => c.entity === 'ticket' && c.id === twinTicket.id);
    expect(globexTicket).toMatchObject({
      op: 'upsert',
      data: {
        subject: 'Globex twin',
        status: 'solved',
        requesterId: twinContact.id,
        description: 'mine',
      },
    });
    expect(globexRows.find((c) => c.entity === 'comment' && c.id === twinComment.id)).toMatchObject(
      {
        data: { body: 'globex comment', ticketId: twinTicket.id },
      },
    );
    await expectAcmeUnchanged();

    // Deleting the twin (and its comments) leaves acme's ticket and comment alone.
    const deleted = await session.send({ name: 'deleteTicket', args: { ticketId: twinTicket.id } });
    expect(deleted.body.results).toEqual([{ id: 5, status: 'applied' }]);
    await expectAcmeUnchanged();
    const acmeNow = view(await snapshot(acmeAgent));
    expect(acmeNow.tickets.find((x) => x.id === twinTicket.id)).toEqual(twinTicket);
    expect(acmeNow.comments.find((c) => c.id === twinComment.id)).toEqual(twinComment);
    expect(acmeNow.contacts.find((c) => c.id === twinContact.id)).toEqual(twinContact);
  });
});

describe('changing through the admin API', () => {
  it('answers a globex admin changing an acme user exactly as changing a missing one', async () => {
    const targets = [
      acme.users.find((u) => u.role === 'agent')!,
      acme.users.find((u) => u.role === 'admin')!,
    ];
    for (const target of targets) {
      for (const body of [{ active: false }, { role: 'admin' }, { role: 'agent', active: false }]) {
        const foreign = await t.api.call('PATCH', `/api/v1/admin/users/${target.id}`, {
          token: globexAdmin.token,
          body,
        });
        const missing = await t.api.call('PATCH', `/api/v1/admin/users/${randomUUID()}`, {
          token: globexAdmin.token,
          body,
        });
        expect(foreign.status).toBe(404);
        expect(foreign.body).toEqual(missing.body);
        expect(foreign.body.error.code).toBe('not_found');
      }
    }
    const byAgent = await t.api.call('PATCH', `/api/v1/admin/users/${targets[0]!.id}`, {
      token: globexAgent.token,
      body: { active: false },
    });
    const byAgentMissing = await t.api.call('PATCH', `/api/v1/admin/users/${randomUUID()}`, {
      token: globexAgent.token,
      body: { active: false },
    });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body).toEqual(byAgentMissing.body);
    await expectAcmeUnchanged();
    // The acme accounts still work, with their old roles.
    const again = await t.api.login('acme', targets[0]!.email);
    expect(again.user).toMatchObject({ id: targets[0]!.id, role: 'agent' });
  });

  it('creates a globex user with an acme email in globex only', async () => {
    const acmeUser = acme.users.find((u) => u.email === 'agent2@acme.test')!;
    const created = await t.api.call('POST', '/api/v1/admin/users', {
      token: globexAdmin.token,
      body: {
        name: 'Moonlighter',
        email: 'AGENT2@acme.test',
        role: 'admin',
        password: 'globex-password-1',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.user.id).not.toBe(acmeUser.id);

    const intoAcme = await t.api.call('POST', '/api/v1/auth/login', {
      body: { tenant: 'acme', email: 'agent2@acme.test', password: 'globex-password-1' },
    });
    expect(intoAcme.status).toBe(401);
    await expect(t.api.login('acme', 'agent2@acme.test')).resolves.toMatchObject({
      user: { id: acmeUser.id, role: 'agent' },
    });
    await expect(
      t.api.login('globex', 'agent2@acme.test', 'globex-password-1'),
    ).resolves.toMatchObject({
      user: { id: created.body.user.id, role: 'admin' },
      tenant: { slug: 'globex' },
    });
    await expectAcmeUnchanged();
  });
});

describe('signing in', () => {
  it('refuses globex credentials for tenant acme exactly as unknown ones', async () => {
    const login = (tenant: string, email: string, password = 'demo-password-1') =>
      t.api.call('POST', '/api/v1/auth/login', { body: { tenant, email, password } });
    const cross = await login('acme', 'admin@globex.test');
    const reverse = await login('globex', 'admin@acme.test');
    const unknown = await login('acme', 'nobody@acme.test');
    const noTenant = await login('initech', 'admin@globex.test');
    for (const response of [cross, reverse, unknown, noTenant]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(unknown.body);
    }
    expect(unknown.body.error.code).toBe('unauthorized');
  });

  it('leaves acme exactly as it was after everything globex did', async () => {
    await expectAcmeUnchanged();
    const again = await snapshot(replica(acmeAdmin));
    // acme's own logins above (sessions, login history) are not synced rows.
    expect(again).toEqual(acme.changes);
  });
});

describe('live updates', () => {
  it('pokes globex for its own changes only', async () => {
    const pokes: string[] = [];
    let buffer = '';
    const url = new URL('/api/v1/sync/events', t.server.url);
    const stream = request(url, {
      ca: t.ca,
      headers: { authorization: `Bearer ${globexAgent.token}` },
    });
    const opened = new Promise<number>((resolve, reject) => {
      stream.on('response', (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          const events = buffer.split('\n\n');
          buffer = events.pop()!;
          for (const event of events) {
            const data = /^data: (.*)$/m.exec(event);
            if (/^event: poke$/m.test(event) && data)
              pokes.push(JSON.parse(data[1]!).cursor as string);
          }
        });
        resolve(response.statusCode ?? 0);
      });
      stream.on('error', reject);
    });
    stream.end();
    const waitFor = async (count: number, ms: number) => {
      const until = Date.now() + ms;
      while (pokes.length < count && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      return pokes.length;
    };
    try {
      expect(await opened).toBe(200);
      expect(await waitFor(1, 3000)).toBe(1);

      const acmeChange = await replica(acmeAdmin).send({
        name: 'addTags',
        args: { ticketId: acme.tickets[2]!.id, tags: ['poke-test'] },
      });
      expect(acmeChange.body.results[0]!.status).toBe('applied');
      expect(await waitFor(2, 500)).toBe(1);

      const globexChange = await replica(globexAdmin).send({
        name: 'addTags',
        args: { ticketId: globex.tickets[0]!.id, tags: ['poke-test'] },
      });
      expect(globexChange.body.results[0]!.status).toBe('applied');
      expect(await waitFor(2, 3000)).toBe(2);
      const head = await globexAgent.pull(pokes[1]!, 10);
      expect(head.status).toBe(200);
      expect(head.body.changes).toEqual([]);
    } finally {
      stream.destroy();
    }
  });
});
