import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHeldReply } from '../../../../src-main/core/replica/resolve-held';
import type { Ticket } from '../../../../src-shared/domain/entities';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import {
  leftovers,
  openSyncClient,
  projectedTickets,
  replicaState,
  serverState,
  sorted,
  TempDirs,
  ticketColumns,
  type SyncClient,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * Two clients of one tenant, each behind its own fault proxy, edit the same tickets while offline
 * (overlapping fields, tags added and removed, comments, a ticket deleted under a comment, a new
 * ticket), then come back one after the other, in both orders. Both must end with exactly what the
 * service holds (every ticket, comment and contact of a fresh pull from 0), with nothing pending,
 * and the second to come back must hold each field conflict as needs-attention with both values,
 * and its reply to a ticket the first had answered (held, then sent by choice).
 */

let t: TestServer;
const dirs = new TempDirs();
const proxies: FaultProxy[] = [];
const clients: SyncClient[] = [];

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'warn' });
});
afterAll(async () => {
  for (const client of clients) await client.close();
  for (const proxy of proxies) await proxy.close();
  await t?.close();
  dirs.cleanup();
});

const now = () => new Date().toISOString();

async function clientBehindProxy(email: string): Promise<{ c: SyncClient; proxy: FaultProxy }> {
  const proxy = await startFaultProxy({ targetPort: t.server.port });
  proxies.push(proxy);
  const c = await openSyncClient({
    serviceUrl: t.server.url,
    targetUrl: proxy.url,
    ca: t.ca,
    tenant: 'acme',
    email,
    dir: dirs.make('helpdesk-converge-'),
  });
  clients.push(c);
  return { c, proxy };
}

const usedTickets = new Set<string>();

/** Open tickets not used by an earlier scenario; the first one with at least one tag. */
function pickTickets(c: SyncClient): Ticket[] {
  const open = c.replica
    .all('ticket')
    .filter((ticket) => ticket.status === 'open' && !usedTickets.has(ticket.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  const tagged = open.find((ticket) => ticket.tags.length > 0 && !ticket.tags.includes('conv-a'));
  if (!tagged) throw new Error('the demo data has no open tagged ticket left');
  const others = open.filter((ticket) => ticket.id !== tagged.id).slice(0, 3);
  const picked = [tagged, ...others];
  if (picked.length < 4) throw new Error('the demo data has too few open tickets');
  for (const ticket of picked) usedTickets.add(ticket.id);
  return picked;
}

describe.each([
  { first: 'A', second: 'B', agent: 'agent1@acme.test' },
  { first: 'B', second: 'A', agent: 'agent2@acme.test' },
] as const)('offline edits, $first reconnects before $second', ({ first, agent }) => {
  it('converges both replicas on the service state, with conflicts kept for the second', async () => {
    const { c: a, proxy: proxyA } = await clientBehindProxy('admin@acme.test');
    const { c: b, proxy: proxyB } = await clientBehindProxy(agent);
    expect((await a.engine.syncNow()).state).toBe('idle');
    expect((await b.engine.syncNow()).state).toBe('idle');

    const [t1, t2, t3, t4] = pickTickets(a) as [Ticket, Ticket, Ticket, Ticket];
    const removedTag = t1.tags[0]!;
    const users = a.replica
      .all('user')
      .filter((user) => user.active && user.id !== t3.assigneeId)
      .sort((x, y) => x.id.localeCompare(y.id));
    const [assigneeOfA, assigneeOfB] = [users[0]!.id, users[1]!.id];
    const requesterId = t1.requesterId;

    // Both go offline: every connection through their proxies is reset from now on.
    proxyA.setMode('refuse');
    proxyB.setMode('refuse');

    const ids = {
      commentA1: randomUUID(),
      commentA2: randomUUID(),
      commentB1: randomUUID(),
      commentB4: randomUUID(),
      ticketB: randomUUID(),
      commentBNew: randomUUID(),
    };
    const comment = (id: string, ticketId: string, body: string) => ({
      id,
      ticketId,
      body,
      public: true,
    });
    // A (admin) edits.
    a.replica.mutate(
      'setTicketFields',
      { ticketId: t1.id, fields: { status: 'pending', priority: 'high' } },
      now(),
    );
    a.replica.mutate('addTags', { ticketId: t1.id, tags: ['conv-a', 'conv-shared'] }, now());
    a.replica.mutate('removeTags', { ticketId: t1.id, tags: [removedTag] }, now());
    a.replica.mutate('addComment', comment(ids.commentA1, t1.id, 'A on T1'), now());
    a.replica.mutate('setTicketFields', { ticketId: t2.id, fields: { priority: 'urgent' } }, now());
    a.replica.mutate('addComment', comment(ids.commentA2, t2.id, 'A on T2'), now());
    a.replica.mutate(
      'setTicketFields',
      { ticketId: t3.id, fields: { assigneeId: assigneeOfA } },
      now(),
    );
    a.replica.mutate('deleteTicket', { ticketId: t4.id }, now());
    // B (agent) edits the same tickets.
    b.replica.mutate(
      'setTicketFields',
      { ticketId: t1.id, fields: { status: 'solved', subject: 'Subject by B' } },
      now(),
    );
    b.replica.mutate('addTags', { ticketId: t1.id, tags: ['conv-b', 'conv-shared'] }, now());
    b.replica.mutate('removeTags', { ticketId: t1.id, tags: ['conv-a'] }, now());
    b.replica.mutate('addComment', comment(ids.commentB1, t1.id, 'B on T1'), now());
    b.replica.mutate('setTicketFields', { ticketId: t2.id, fields: { priority: 'urgent' } }, now());
    b.replica.mutate(
      'setTicketFields',
      { ticketId: t3.id, fields: { assigneeId: assigneeOfB } },
      now(),
    );
    b.replica.mutate('addComment', comment(ids.commentB4, t4.id, 'B on T4'), now());
    b.replica.mutate(
      'createTicket',
      { id: ids.ticketB, subject: 'New by B', description: 'offline', requesterId },
      now(),
    );
    b.replica.mutate('addComment', comment(ids.commentBNew, ids.ticketB, 'B on new'), now());

    // Offline, each sees its own changes and says it is offline, with a retry time.
    for (const [c, pending] of [
      [a, 8],
      [b, 9],
    ] as const) {
      const status = await c.engine.syncNow();
      expect(status).toMatchObject({ state: 'offline' });
      expect(status.state === 'offline' && status.retryAt).toBeTruthy();
      expect(c.replica.counts()).toEqual({ pending, needsAttention: 0 });
    }
    expect(a.replica.reader().get('ticket', t4.id)).toBeNull();
    expect(b.replica.reader().get('ticket', t1.id)).toMatchObject({ status: 'solved' });

    const byName = { A: { c: a, proxy: proxyA }, B: { c: b, proxy: proxyB } };
    const x = byName[first];
    const y = byName[first === 'A' ? 'B' : 'A'];
    x.proxy.setMode('pass');
    expect((await x.c.engine.syncNow()).state).toBe('idle');
    expect(x.c.replica.needsAttention()).toEqual([]);
    y.proxy.setMode('pass');
    expect((await y.c.engine.syncNow()).state).toBe('idle');
    // The second's reply on T1 went out only after a pull, which showed the first's comment and
    // status there: it is held until its agent chooses. Sent anyway, it goes through.
    const held = y.c.replica.held.list();
    expect(held.map((item) => [item.ticketId, item.changes.newComments])).toEqual([[t1.id, 1]]);
    resolveHeldReply(y.c.replica, { id: held[0]!.id, action: 'send' }, now());
    expect((await y.c.engine.syncNow()).state).toBe('idle');
    expect((await x.c.engine.syncNow()).state).toBe('idle');

    // The second to push meets the first's values: each overlapping field is a conflict that
    // keeps both; the fields nobody else touched went through.
    const statusOf = { A: 'pending', B: 'solved' };
    const assigneeOf = { A: assigneeOfA, B: assigneeOfB };
    const second = first === 'A' ? 'B' : 'A';
    const items = y.c.replica.needsAttention();
    const conflicts = items.filter((item) => item.kind === 'conflict');
    expect(
      conflicts.map((item) => ({ entityId: item.entityId, conflicts: item.conflicts })),
    ).toEqual(
      expect.arrayContaining([
        {
          entityId: t1.id,
          conflicts: [{ field: 'status', server: statusOf[first], mine: statusOf[second] }],
        },
        {
          entityId: t3.id,
          conflicts: [{ field: 'assigneeId', server: assigneeOf[first], mine: assigneeOf[second] }],
        },
      ]),
    );
    expect(conflicts).toHaveLength(2);
    // B's comment on the ticket A deleted: rejected when A came first (kept in needs-attention),
    // applied then deleted with the ticket when B came first.
    const rejected = items.filter((item) => item.kind === 'rejected');
    if (first === 'A') {
      expect(rejected).toMatchObject([
        { name: 'addComment', entityId: t4.id, error: { code: 'not_found' } },
      ]);
    } else {
      expect(rejected).toEqual([]);
    }

    // Both replicas hold exactly what a fresh pull from 0 gives, and nothing is pending.
    for (const c of [a, b]) {
      const server = await serverState(t.api, 'acme', c.login.user.email);
      const mine = replicaState(c.replica);
      expect(sorted(mine.tickets)).toEqual(sorted(server.tickets));
      expect(sorted(mine.comments)).toEqual(sorted(server.comments));
      expect(sorted(mine.contacts)).toEqual(sorted(server.contacts));
      expect(projectedTickets(c.replica)).toEqual(ticketColumns(server.tickets.values()));
      expect(c.replica.counts().pending).toBe(0);
      expect(leftovers(c.replica)).toEqual({ outbox: 0, overlay: 0 });
    }

    // What the service decided, per order.
    const server = await serverState(t.api, 'acme', 'admin@acme.test');
    const finalT1 = server.tickets.get(t1.id)!;
    expect(finalT1).toMatchObject({
      status: statusOf[first],
      priority: 'high',
      subject: 'Subject by B',
    });
    const tags = new Set(t1.tags.filter((tag) => tag !== removedTag));
    for (const tag of ['conv-a', 'conv-b', 'conv-shared']) tags.add(tag);
    // B's removal of conv-a finds it only when A's addition is already there.
    if (first === 'A') tags.delete('conv-a');
    expect(finalT1.tags).toEqual([...tags].sort());
    expect(server.tickets.get(t2.id)!.priority).toBe('urgent');
    expect(server.tickets.get(t3.id)!.assigneeId).toBe(assigneeOf[first]);
    expect(server.tickets.has(t4.id)).toBe(false);
    expect([...server.comments.values()].filter((c) => c.ticketId === t4.id)).toEqual([]);
    for (const id of [ids.commentA1, ids.commentA2, ids.commentB1, ids.commentBNew]) {
      expect(server.comments.has(id)).toBe(true);
    }
    expect(server.comments.has(ids.commentB4)).toBe(false);
    expect(server.tickets.get(ids.ticketB)).toMatchObject({ subject: 'New by B', status: 'new' });
    expect(server.tickets.get(ids.ticketB)!.number).toEqual(expect.any(Number));
  });
});
