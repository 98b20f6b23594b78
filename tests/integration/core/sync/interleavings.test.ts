import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveHeldReply } from '../../../../src-main/core/replica/resolve-held';
import type { Ticket } from '../../../../src-shared/domain/entities';
import { createSmallTenant } from '../../../chaos/chaos-tenant';
import {
  leftovers,
  openSyncClient,
  replicaState,
  serverState,
  sorted,
  TempDirs,
  type SyncClient,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * Property tests of the mutators and of rebase over the real service: three replicas of one tenant
 * (its admin and two agents) make random edits to the same few tickets and sync at random points
 * (fast-check picks the interleaving). Once everyone has synced, every replica equals the service;
 * no comment is lost and each client's comments keep the order it wrote them in; concurrent tag
 * additions and removals commute, whichever client reaches the service first.
 */

const SLUG = 'interleave';
const TICKETS = 4;
let t: TestServer;
let clients: SyncClient[] = [];
let ticketIds: string[] = [];
const dirs = new TempDirs();

beforeAll(async () => {
  t = await startTestServer({ logLevel: 'warn' });
  const domain = await createSmallTenant(t.server.storage, SLUG, TICKETS, 11);
  for (const user of ['admin', 'agent1', 'agent2']) {
    const c = await openSyncClient({
      serviceUrl: t.server.url,
      ca: t.ca,
      tenant: SLUG,
      email: `${user}@${domain}`,
      dir: dirs.make('helpdesk-interleave-'),
    });
    clients.push(c);
    expect((await c.engine.syncNow()).state).toBe('idle');
  }
  ticketIds = clients[0]!.replica
    .all('ticket')
    .map((ticket) => ticket.id)
    .sort();
});
afterAll(async () => {
  for (const c of clients) await c.close();
  clients = [];
  await t?.close();
  dirs.cleanup();
});

const now = () => new Date().toISOString();
const TAGS = ['t-a', 't-b', 't-c', 't-d', 't-e'];

const client = fc.nat(2);
const ticket = fc.nat(TICKETS - 1);
const step = fc.oneof(
  fc.record({
    kind: fc.constant('fields' as const),
    client,
    ticket,
    fields: fc.oneof(
      fc.record({ status: fc.constantFrom('open', 'pending', 'on_hold', 'solved') }),
      fc.record({ priority: fc.constantFrom('low', 'normal', 'high', 'urgent') }),
    ),
  }),
  fc.record({
    kind: fc.constantFrom('addTags' as const, 'removeTags' as const),
    client,
    ticket,
    tags: fc.subarray(TAGS, { minLength: 1 }),
  }),
  fc.record({ kind: fc.constant('comment' as const), client, ticket, public: fc.boolean() }),
  fc.record({ kind: fc.constant('sync' as const), client }),
);

/** Everyone syncs until nothing is pending or held (held replies are sent), then pulls once more. */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round++) {
    let busy = false;
    for (const c of clients) {
      for (const held of c.replica.held.list()) {
        resolveHeldReply(c.replica, { id: held.id, action: 'send' }, now());
      }
      expect((await c.engine.syncNow()).state).toBe('idle');
      busy ||= c.replica.counts().pending > 0 || c.replica.held.count() > 0;
    }
    if (!busy) break;
  }
  for (const c of clients) expect((await c.engine.syncNow()).state).toBe('idle');
}

async function expectConverged(): Promise<void> {
  for (const c of clients) {
    const server = await serverState(t.api, SLUG, c.login.user.email);
    const mine = replicaState(c.replica);
    expect(sorted(mine.tickets)).toEqual(sorted(server.tickets));
    expect(sorted(mine.comments)).toEqual(sorted(server.comments));
    expect(leftovers(c.replica)).toEqual({ outbox: 0, overlay: 0 });
    expect(c.replica.held.count()).toBe(0);
  }
}

let run = 0;

it('any interleaving of edits and syncs converges, and loses or reorders no comment', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 14 }), async (steps) => {
      run += 1;
      const written: Array<{ client: number; ticketId: string; id: string }> = [];
      for (const s of steps) {
        const c = clients[s.client]!;
        const ticketId = ticketIds[s.kind === 'sync' ? 0 : s.ticket]!;
        if (s.kind === 'sync') {
          await c.engine.syncNow();
        } else if (s.kind === 'fields') {
          c.replica.mutate('setTicketFields', { ticketId, fields: s.fields }, now());
        } else if (s.kind === 'comment') {
          const id = randomUUID();
          const body = `run ${run} client ${s.client} #${written.length}`;
          c.replica.mutate('addComment', { id, ticketId, body, public: s.public }, now());
          written.push({ client: s.client, ticketId, id });
        } else {
          c.replica.mutate(s.kind, { ticketId, tags: s.tags }, now());
        }
      }
      await settle();
      await expectConverged();

      const reader = clients[0]!.replica.projection;
      for (const ticketId of ticketIds) {
        const shown = reader.commentsOf(ticketId).map((comment) => comment.id);
        for (let who = 0; who < clients.length; who++) {
          const mine = written.filter((w) => w.client === who && w.ticketId === ticketId);
          // Every comment is there, once, in the order its client wrote them.
          expect(shown.filter((id) => mine.some((w) => w.id === id))).toEqual(
            mine.map((w) => w.id),
          );
        }
      }
    }),
    { numRuns: 15 },
  );
}, 180_000);

it('concurrent tag additions and removals commute, whichever client syncs first', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat(TICKETS - 1),
      fc.subarray(TAGS),
      fc.subarray(TAGS),
      fc.constantFrom([0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]),
      async (index, addedRaw, removedRaw, order) => {
        const ticketId = ticketIds[index]!;
        await settle();
        const before = (clients[0]!.replica.reader().get('ticket', ticketId) as Ticket).tags;
        // Disjoint sets: what one adds, nobody removes.
        const added = addedRaw;
        const removed = removedRaw.filter((tag) => !added.includes(tag));
        // Offline to each other: each client edits before anyone syncs.
        const [a, b, c] = clients as [SyncClient, SyncClient, SyncClient];
        const half = Math.ceil(added.length / 2);
        if (added.length > 0)
          a.replica.mutate('addTags', { ticketId, tags: added.slice(0, half) }, now());
        if (added.length > half)
          c.replica.mutate('addTags', { ticketId, tags: added.slice(half) }, now());
        if (removed.length > 0) b.replica.mutate('removeTags', { ticketId, tags: removed }, now());
        for (const who of order) await clients[who]!.engine.syncNow();
        await settle();
        await expectConverged();
        const expected = [...new Set([...before, ...added])].filter(
          (tag) => !removed.includes(tag),
        );
        const after = (clients[0]!.replica.reader().get('ticket', ticketId) as Ticket).tags;
        expect(after).toEqual(expected.sort());
      },
    ),
    { numRuns: 15 },
  );
}, 180_000);
