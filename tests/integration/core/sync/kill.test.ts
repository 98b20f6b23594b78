import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplica, type Replica } from '../../../../src-main/core/replica/replica';
import type { ChildConfig } from '../../../support/sync-child';
import {
  baseRows,
  entries,
  leftovers,
  mutationRecordsOf,
  openServerDb,
  openSyncClient,
  replicaState,
  serverState,
  sorted,
  TempDirs,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * The sync engine in a child process, killed with SIGKILL mid-initial-sync and mid-push, then
 * started again: nothing lost, nothing doubled, no hole, and the initial sync goes on from the last
 * page it committed instead of starting again from 0. Each scenario kills twice: once at a random
 * moment (after a random progress line), once at the worst moment (the service has answered, the
 * replica has not recorded it yet).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CHILD = path.join(ROOT, 'tests', 'support', 'sync-child.ts');
const PAGE_SIZE = 50;

let t: TestServer;
let serverDb: Database;
const dirs = new TempDirs();
const groups = new Set<number>();

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'warn' });
  serverDb = openServerDb(t.dataDir);
});
afterAll(async () => {
  // A child left behind by a failed test: its process group (tsx and the node it starts).
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  serverDb?.close();
  await t?.close();
  dirs.cleanup();
});

interface ChildRun {
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  stderr: string;
}

/**
 * Runs the child until it exits, or SIGKILLs it (tsx and the node process it starts: the whole
 * process group) as soon as a line satisfies `killWhen`.
 */
function runChild(config: ChildConfig, killWhen?: (line: string) => boolean): Promise<ChildRun> {
  const child = spawn(TSX, [CHILD, JSON.stringify(config)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  groups.add(pid);
  const run: ChildRun = { lines: [], code: null, signal: null, killed: false, stderr: '' };
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString('utf8')));
  createInterface({ input: child.stdout }).on('line', (line) => {
    run.lines.push(line);
    if (!run.killed && killWhen?.(line)) {
      run.killed = true;
      process.kill(-pid, 'SIGKILL');
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      groups.delete(pid);
      run.code = code;
      run.signal = signal;
      resolve(run);
    });
  });
}

const pullLines = (run: ChildRun) => run.lines.filter((line) => line.startsWith('pull '));
const pushLines = (run: ChildRun) => run.lines.filter((line) => line.startsWith('push '));
const pageLines = (run: ChildRun) => run.lines.filter((line) => line.startsWith('page '));

function expectKilled(run: ChildRun, what: string) {
  expect(
    run.killed,
    `${what}: never saw the line to kill on\n${run.lines.join('\n')}\n${run.stderr}`,
  ).toBe(true);
  expect(run.signal, what).toBe('SIGKILL');
  expect(
    run.lines.some((line) => line.startsWith('done ')),
    what,
  ).toBe(false);
}

function expectFinished(run: ChildRun) {
  expect(run.code, `${run.lines.join('\n')}\n${run.stderr}`).toBe(0);
  expect(run.lines.at(-1)).toBe('done state=idle pending=0 needsAttention=0');
}

async function openForCheck(dir: string, email: string): Promise<Replica> {
  const login = await t.api.login('acme', email);
  return openReplica(dir, {
    serverUrl: t.server.url,
    tenantId: login.tenant.id,
    tenantSlug: login.tenant.slug,
    userId: login.user.id,
    role: login.user.role,
  });
}

function config(dir: string, email: string, extra: Partial<ChildConfig> = {}): ChildConfig {
  return {
    dir,
    serviceUrl: t.server.url,
    caFile: t.server.caPath!,
    tenant: 'acme',
    email,
    pageSize: PAGE_SIZE,
    pushBatchSize: 1,
    ...extra,
  };
}

describe('sync killed with SIGKILL and started again', () => {
  it('resumes an initial sync from its last committed page, with no hole', async () => {
    const email = 'agent3@acme.test';
    const dir = dirs.make('helpdesk-kill-initial-');
    const reference = await serverState(t.api, 'acme', email, PAGE_SIZE);
    const total = reference.pages;
    expect(total).toBeGreaterThan(10);

    // 1. Killed at a random moment: right after the k1-th page was committed (or a little later).
    const k1 = randomInt(3, Math.floor(total / 2));
    const first = await runChild(config(dir, email), (line) => line.startsWith(`page ${k1} `));
    expectKilled(first, `first run, k1=${k1}`);
    expect(pullLines(first)[0]).toMatch(/^pull 1 cursor=0 /);

    // 2. Killed after the service answered its k2-th page, before the replica committed it.
    const k2 = randomInt(2, 6);
    const second = await runChild(
      config(dir, email, { pauseAfterPull: k2 }),
      (line) => line === 'pausing',
    );
    expectKilled(second, `second run, k2=${k2}`);
    // It went on from where the first run stopped, not from 0.
    expect(pullLines(second)[0]).toMatch(/^pull 1 cursor=(?!0 )\S+ /);
    expect(pageLines(second)).toHaveLength(k2 - 1);

    // 3. Runs to the end.
    const third = await runChild(config(dir, email));
    expectFinished(third);
    const pulls = pullLines(third);
    expect(pulls[0]).toMatch(/^pull 1 cursor=(?!0 )\S+ /);
    expect(pulls.at(-1)).toMatch(/hasMore=false$/);
    // Only the pages neither earlier run committed: at most total - k1 - (k2 - 1).
    expect(pulls.length, `k1=${k1} k2=${k2} total=${total}`).toBeLessThanOrEqual(
      total - k1 - (k2 - 1),
    );
    expect(pulls.length).toBeGreaterThanOrEqual(1);
    expect(
      pullLines(first).length + pullLines(second).length + pulls.length,
    ).toBeGreaterThanOrEqual(total);

    // The replica holds exactly every row the service has: no hole, nothing stale.
    const replica = await openForCheck(dir, email);
    try {
      expect(replica.snapshotInProgress).toBe(false);
      const server = await serverState(t.api, 'acme', email);
      expect(entries(baseRows(replica))).toEqual(entries(server.rows));
      const mine = replicaState(replica);
      expect(sorted(mine.tickets)).toEqual(sorted(server.tickets));
      expect(sorted(mine.comments)).toEqual(sorted(server.comments));
      expect(leftovers(replica)).toEqual({ outbox: 0, overlay: 0 });
    } finally {
      replica.close();
    }
  });

  it('resumes pushing 200 queued mutations, one per batch, each applied once', async () => {
    const email = 'agent4@acme.test';
    const dir = dirs.make('helpdesk-kill-push-');

    // 200 comments queued offline on 20 tickets, in a replica that has done its initial sync.
    const setup = await openSyncClient({
      serviceUrl: t.server.url,
      ca: t.ca,
      tenant: 'acme',
      email,
      dir,
    });
    expect((await setup.engine.syncNow()).state).toBe('idle');
    const tickets = setup.replica
      .all('ticket')
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, 20);
    const commentsBefore = new Map(
      tickets.map((ticket) => [
        ticket.id,
        setup.replica.all('comment').filter((c) => c.ticketId === ticket.id).length,
      ]),
    );
    const queued: string[] = [];
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      queued.push(id);
      const ticketId = tickets[i % 20]!.id;
      setup.replica.mutate(
        'addComment',
        { id, ticketId, body: `queued ${i}`, public: i % 2 === 0 },
        new Date().toISOString(),
      );
    }
    const clientId = setup.replica.clientId;
    const userId = setup.login.user.id;
    await setup.close();

    // 1. Killed at a random moment, after the k1-th push was answered.
    const k1 = randomInt(20, 100);
    const first = await runChild(config(dir, email), (line) => line.startsWith(`push ${k1} `));
    expectKilled(first, `first run, k1=${k1}`);
    expect(pushLines(first)[0]).toBe('push 1 ids=1-1 results=applied');

    // 2. Killed after the service applied its k2-th push, before the replica recorded the answer.
    const k2 = randomInt(5, 50);
    const second = await runChild(
      config(dir, email, { pauseAfterPush: k2 }),
      (line) => line === 'pausing',
    );
    expectKilled(second, `second run, k2=${k2}`);
    const lastOfSecond = pushLines(second).at(-1)!;
    const lostId = Number(/ids=(\d+)-/.exec(lastOfSecond)![1]);
    expect(lastOfSecond).toMatch(/results=applied$/);

    // 3. Runs to the end: it sends the mutation whose answer it never recorded again, and the
    // service answers that it has it already.
    const third = await runChild(config(dir, email));
    expectFinished(third);
    const pushes = pushLines(third);
    expect(pushes[0]).toBe(`push 1 ids=${lostId}-${lostId} results=duplicate`);
    expect(pushes.slice(1).every((line) => line.endsWith('results=applied'))).toBe(true);
    expect(pushes.at(-1)).toMatch(/ids=200-200 /);

    // The service recorded each of the 200 once, under the one client id, as applied.
    expect(mutationRecordsOf(serverDb, userId)).toEqual(
      Array.from({ length: 200 }, (_, i) => ({ clientId, mutationId: i + 1, status: 'applied' })),
    );
    const server = await serverState(t.api, 'acme', email);
    for (const ticket of tickets) {
      const count = [...server.comments.values()].filter((c) => c.ticketId === ticket.id).length;
      expect(count).toBe(commentsBefore.get(ticket.id)! + 10);
    }
    for (const id of queued) expect(server.comments.has(id)).toBe(true);

    const replica = await openForCheck(dir, email);
    try {
      expect(replica.clientId).toBe(clientId);
      expect(replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
      expect(leftovers(replica)).toEqual({ outbox: 0, overlay: 0 });
      const mine = replicaState(replica);
      expect(sorted(mine.tickets)).toEqual(sorted(server.tickets));
      expect(sorted(mine.comments)).toEqual(sorted(server.comments));
      expect(entries(baseRows(replica))).toEqual(entries(server.rows));
    } finally {
      replica.close();
    }
  });
});
