import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../../../src-shared/domain/entities';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import {
  answeredStatuses,
  leftovers,
  mutationRecordsOf,
  openServerDb,
  openSyncClient,
  replicaState,
  serverState,
  sorted,
  TempDirs,
  waitFor,
  waitForState,
  type SyncClient,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * A push whose answer is lost: the service processes and commits the batch, then the connection is
 * cut before the client reads a byte of the answer (the fault proxy's `cut-response`). The engine
 * must say it is offline, send the same mutations again (same client id, same ids), and end with
 * each applied exactly once: the service recorded each id once, as applied; no addComment was
 * answered "already exists" (which a second application would be); comment counts and tags are
 * what one application gives; the outbox is drained.
 */

let t: TestServer;
let serverDb: Database;
const dirs = new TempDirs();
const proxies: FaultProxy[] = [];
const clients: SyncClient[] = [];

beforeAll(async () => {
  // Request logs (debug) tell how many pushes the service answered.
  t = await startTestServer({ demo: true });
  serverDb = openServerDb(t.dataDir);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  for (const proxy of proxies) await proxy.close();
  serverDb?.close();
  await t?.close();
  dirs.cleanup();
});

const now = () => new Date().toISOString();

async function clientBehindProxy(email: string, pushBatchSize?: number) {
  const proxy = await startFaultProxy({ targetPort: t.server.port });
  proxies.push(proxy);
  const c = await openSyncClient({
    serviceUrl: t.server.url,
    targetUrl: proxy.url,
    ca: t.ca,
    tenant: 'acme',
    email,
    dir: dirs.make('helpdesk-lost-'),
    ...(pushBatchSize ? { engine: { pushBatchSize } } : {}),
  });
  clients.push(c);
  return { c, proxy };
}

const taken = new Set<string>();
function twoTaggedTickets(c: SyncClient): [Ticket, Ticket] {
  const tickets = c.replica
    .all('ticket')
    .filter((x) => x.tags.length > 0 && x.status === 'open' && !taken.has(x.id))
    .sort((x, y) => x.id.localeCompare(y.id))
    .slice(0, 2);
  for (const ticket of tickets) taken.add(ticket.id);
  return tickets as [Ticket, Ticket];
}

/** Queues six mutations on two tickets; returns what one application of them gives. */
function queueWork(c: SyncClient, t1: Ticket, t2: Ticket) {
  const commentIds = [randomUUID(), randomUUID(), randomUUID()];
  const removed = t1.tags[0]!;
  const comment = (id: string, ticketId: string) => ({
    id,
    ticketId,
    body: `lost ${id}`,
    public: false,
  });
  c.replica.mutate('addComment', comment(commentIds[0]!, t1.id), now());
  c.replica.mutate('addTags', { ticketId: t1.id, tags: ['lost-x'] }, now());
  c.replica.mutate('addComment', comment(commentIds[1]!, t1.id), now());
  c.replica.mutate('removeTags', { ticketId: t1.id, tags: [removed] }, now());
  c.replica.mutate('addComment', comment(commentIds[2]!, t2.id), now());
  c.replica.mutate('setTicketFields', { ticketId: t2.id, fields: { status: 'pending' } }, now());
  return { commentIds, removed, count: 6 };
}

function commentCount(comments: Iterable<{ ticketId: string }>, ticketId: string): number {
  return [...comments].filter((comment) => comment.ticketId === ticketId).length;
}

async function expectAppliedOnce(
  c: SyncClient,
  t1: Ticket,
  t2: Ticket,
  before: { t1: number; t2: number },
  work: ReturnType<typeof queueWork>,
) {
  // The service recorded each mutation id once, under the one client id, as applied.
  const records = mutationRecordsOf(serverDb, c.login.user.id);
  expect(records).toEqual(
    Array.from({ length: work.count }, (_, i) => ({
      clientId: c.replica.clientId,
      mutationId: i + 1,
      status: 'applied',
    })),
  );
  // A second application would have been refused (a comment id already used): nothing was.
  expect(c.replica.needsAttention()).toEqual([]);
  expect(c.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
  expect(leftovers(c.replica)).toEqual({ outbox: 0, overlay: 0 });

  const server = await serverState(t.api, 'acme', c.login.user.email);
  expect(commentCount(server.comments.values(), t1.id)).toBe(before.t1 + 2);
  expect(commentCount(server.comments.values(), t2.id)).toBe(before.t2 + 1);
  for (const id of work.commentIds) expect(server.comments.has(id)).toBe(true);
  const tags = server.tickets.get(t1.id)!.tags;
  expect(tags).toContain('lost-x');
  expect(tags).not.toContain(work.removed);
  expect(tags).toEqual(
    [...new Set([...t1.tags.filter((x) => x !== work.removed), 'lost-x'])].sort(),
  );
  expect(server.tickets.get(t2.id)!.status).toBe('pending');
  // And the replica shows exactly that.
  const mine = replicaState(c.replica);
  expect(sorted(mine.tickets)).toEqual(sorted(server.tickets));
  expect(sorted(mine.comments)).toEqual(sorted(server.comments));
}

describe('a push whose answer is lost', () => {
  it('goes offline, re-sends the same batch, and each mutation is applied once', async () => {
    const { c, proxy } = await clientBehindProxy('agent1@acme.test');
    expect((await c.engine.syncNow()).state).toBe('idle');
    const [t1, t2] = twoTaggedTickets(c);
    const comments = c.replica.all('comment');
    const before = { t1: commentCount(comments, t1.id), t2: commentCount(comments, t2.id) };
    const work = queueWork(c, t1, t2);
    const pushesBefore = answeredStatuses(t.logs, '/api/v1/sync/push').length;

    proxy.setMode('cut-response');
    const status = await c.engine.syncNow();
    expect(status).toMatchObject({ state: 'offline', retryAt: expect.any(String) });
    expect(proxy.cuts).toBe(1);
    // The service did commit the batch the client never heard back about.
    expect(mutationRecordsOf(serverDb, c.login.user.id)).toHaveLength(work.count);
    expect(answeredStatuses(t.logs, '/api/v1/sync/push').slice(pushesBefore)).toEqual([200]);
    // The client still holds all six, sent but unanswered.
    expect(c.replica.counts().pending).toBe(work.count);
    const unanswered = c.replica.db
      .prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NOT NULL AND result IS NULL')
      .get() as { n: number };
    expect(unanswered.n).toBe(work.count);

    proxy.setMode('pass');
    expect((await c.engine.syncNow()).state).toBe('idle');
    // Sent once more, whole (the service answered it as duplicates).
    expect(answeredStatuses(t.logs, '/api/v1/sync/push').slice(pushesBefore)).toEqual([200, 200]);
    await expectAppliedOnce(c, t1, t2, before, work);
  });

  it('retries by itself through repeated lost answers, batch by batch, and applies each once', async () => {
    const { c, proxy } = await clientBehindProxy('agent2@acme.test', 2);
    expect((await c.engine.syncNow()).state).toBe('idle');
    const [t1, t2] = twoTaggedTickets(c);
    const comments = c.replica.all('comment');
    const before = { t1: commentCount(comments, t1.id), t2: commentCount(comments, t2.id) };
    const work = queueWork(c, t1, t2);
    const pushesBefore = answeredStatuses(t.logs, '/api/v1/sync/push').length;

    proxy.setMode('cut-response');
    c.engine.start();
    // Three pushes answered by the service and lost on the way (the engine retries with its
    // backoff meanwhile)…
    await waitFor('three lost push answers', () => {
      const answered = answeredStatuses(t.logs, '/api/v1/sync/push').length - pushesBefore;
      return answered >= 3 && proxy.cuts >= 3;
    });
    expect(c.engine.snapshot().status.state).toMatch(/^(offline|syncing)$/);
    // Only the first batch: its answer never arrived, so the engine never went on to the next.
    expect(mutationRecordsOf(serverDb, c.login.user.id)).toHaveLength(2);
    expect(c.replica.counts().pending).toBe(work.count);
    // …then the network is back.
    proxy.setMode('pass');
    c.engine.networkUp();
    await waitForState(c.engine, 'idle', 10_000, () => c.replica.counts().pending === 0);
    c.engine.stop();

    // Three batches of two, and at least one of them sent more than once.
    const pushes = answeredStatuses(t.logs, '/api/v1/sync/push').slice(pushesBefore);
    expect(pushes.every((s) => s === 200)).toBe(true);
    expect(pushes.length).toBeGreaterThanOrEqual(3 + 3);
    await expectAppliedOnce(c, t1, t2, before, work);
  });
});
