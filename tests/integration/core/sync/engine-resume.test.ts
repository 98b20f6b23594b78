import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSnapshot } from '../../../../src-shared/bridge/sync-status';
import { ServiceClient } from '../../../../src-main/core/net/service-client';
import { startStatusServer, type StatusServer } from '../../../support/status-server';
import {
  MemoryTokens,
  openSyncClient,
  TempDirs,
  waitFor,
  waitForState,
  type SyncClient,
  type SyncClientSetup,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * The engine's own schedule against the real service over HTTPS (and a stand-in answering 429):
 * - a Retry-After holds even when syncs are requested meanwhile;
 * - after the engine halted itself (needs-sign-in), a "sync now" that succeeds once the cause is
 *   fixed lets it run on by itself again, without start().
 */

const PASSWORD = 'demo-password-1';

let t: TestServer;
const dirs = new TempDirs();
const clients: SyncClient[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'warn' });
});
afterAll(async () => {
  for (const client of clients) await client.close();
  for (const server of servers) await server.close();
  await t?.close();
  dirs.cleanup();
});

async function client(email: string, setup: Partial<SyncClientSetup> = {}): Promise<SyncClient> {
  const c = await openSyncClient({
    serviceUrl: t.server.url,
    ca: t.ca,
    tenant: 'acme',
    email,
    dir: dirs.make('helpdesk-resume-'),
    ...setup,
  });
  clients.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function addTag(c: SyncClient, tag: string): void {
  const ticketId = c.replica.all('ticket')[0]!.id;
  c.replica.mutate('addTags', { ticketId, tags: [tag] }, new Date().toISOString());
}

/** Resolves with the first snapshot `listener` sees that satisfies `test`. */
function nextSnapshot(c: SyncClient, test: (s: SyncSnapshot) => boolean): Promise<SyncSnapshot> {
  return new Promise((resolve) => {
    const unsubscribe = c.engine.subscribe((s) => {
      if (test(s)) {
        unsubscribe();
        resolve(s);
      }
    });
  });
}

describe('Retry-After', () => {
  let status: StatusServer;
  beforeAll(async () => {
    status = await startStatusServer(
      { dataDir: t.dataDir },
      {
        status: 429,
        headers: { 'retry-after': '2', 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down.' } }),
      },
    );
    servers.push(status);
  });

  it('is honoured though syncs are requested meanwhile', async () => {
    const c = await client('agent1@acme.test', { targetUrl: status.url });
    const syncRequests = () => status.requests.filter((r) => r.url.startsWith('/api/v1/sync/pull'));
    c.engine.start();
    const limited = await waitForState(c.engine, 'error', 10_000);
    const failedAt = Date.now();
    expect(limited).toMatchObject({ code: 'rate_limited', reason: 'Slow down.' });
    const retryAt = Date.parse(limited.retryAt!);
    expect(retryAt - failedAt).toBeGreaterThan(1_800);
    expect(retryAt - failedAt).toBeLessThanOrEqual(2_050);
    expect(syncRequests()).toHaveLength(1);

    // Asked again and again at once (local changes, pokes): each would have run a cycle at 0 ms.
    for (let i = 0; i < 5; i++) {
      c.engine.requestSync();
      await sleep(20);
    }
    // The events stream asks once too, and waits out its own Retry-After.
    await waitFor('the events stream to ask', () =>
      status.requests.some((r) => r.url.startsWith('/api/v1/sync/events')),
    );
    const requests = status.requests.length;
    c.engine.requestSync();
    await sleep(Math.max(0, failedAt + 1_800 - Date.now()));
    expect(syncRequests()).toHaveLength(1);
    expect(status.requests.length).toBe(requests);
    expect(c.engine.snapshot().status).toMatchObject({ state: 'error', code: 'rate_limited' });

    await waitFor('the retry', () => syncRequests().length >= 2, 3_000, 5);
    const retriedAt = Date.now();
    expect(retriedAt).toBeGreaterThanOrEqual(retryAt - 50);
    expect(retriedAt - failedAt).toBeLessThan(2_600);
    // One retry only, and the next wait announced from there.
    await sleep(500);
    expect(syncRequests()).toHaveLength(2);
    const again = c.engine.snapshot().status;
    expect(again).toMatchObject({ state: 'error', code: 'rate_limited' });
    expect(Date.parse((again as { retryAt: string }).retryAt)).toBeGreaterThan(retryAt + 1_500);
    c.engine.stop();
  });
});

describe('after the engine halted itself', () => {
  it('runs on by itself once the refresh token is back and sync now succeeded', async () => {
    const c = await client('agent2@acme.test');
    const store = c.store as MemoryTokens;
    c.engine.start();
    await waitForState(c.engine, 'idle');

    // The keychain entry is gone and the access token forgotten: only a new sign-in can help.
    const refreshToken = (await store.get(c.account))!;
    store.map.clear();
    c.tokens.clear();
    c.engine.requestSync();
    await waitForState(c.engine, 'needs-sign-in');
    addTag(c, 'while-signed-out');
    c.engine.requestSync();
    await sleep(300);
    expect(c.engine.snapshot()).toMatchObject({ status: { state: 'needs-sign-in' }, pending: 1 });

    // Fixed: the refresh token is back; "sync now" pushes the waiting change.
    await store.set(c.account, refreshToken);
    expect((await c.engine.syncNow()).state).toBe('idle');
    expect(c.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });

    // A later local change is pushed without another syncNow() or start().
    const drained = nextSnapshot(c, (s) => s.status.state === 'idle' && s.pending === 0);
    addTag(c, 'after-resume');
    c.engine.emit();
    expect(c.engine.snapshot().pending).toBe(1);
    c.engine.requestSync();
    await Promise.race([
      drained,
      sleep(10_000).then(() => {
        throw new Error('the outbox did not drain by itself');
      }),
    ]);
    expect(c.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
    c.engine.stop();
  });

  it('runs on by itself after a revoked session once fresh tokens from a new login are adopted', async () => {
    const c = await client('agent3@acme.test');
    c.engine.start();
    await waitForState(c.engine, 'idle');

    // Logged out elsewhere: the access token is refused (401), and so is the refresh token.
    const refreshToken = (await c.store.get(c.account))!;
    const logout = await t.api.call('POST', '/api/v1/auth/logout', { body: { refreshToken } });
    expect(logout.status).toBe(204);
    addTag(c, 'before-login');
    c.engine.requestSync();
    await waitForState(c.engine, 'needs-sign-in');
    expect(c.engine.snapshot().pending).toBe(1);

    // A new sign-in: its tokens are adopted, then "sync now".
    const login = new ServiceClient({ serverUrl: t.server.url, ca: t.ca });
    try {
      await c.tokens.adopt(
        await login.login({ tenant: 'acme', email: 'agent3@acme.test', password: PASSWORD }),
      );
    } finally {
      login.close();
    }
    expect((await c.engine.syncNow()).state).toBe('idle');
    expect(c.replica.counts().pending).toBe(0);

    const seen: string[] = [];
    c.engine.subscribe((s) => seen.push(s.status.state));
    addTag(c, 'after-login');
    c.engine.requestSync();
    await waitFor('the outbox to drain by itself', () => c.replica.counts().pending === 0);
    await waitForState(c.engine, 'idle');
    expect(seen).toContain('syncing');
    expect(seen.at(-1)).toBe('idle');
    c.engine.stop();
  });
});
