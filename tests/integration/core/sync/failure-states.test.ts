import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSnapshot } from '../../../../src-shared/bridge/sync-status';
import { accountKey } from '../../../../src-main/core/credentials/credential-store';
import { KeytarCredentialStore } from '../../../../src-main/core/credentials/keytar-credential-store';
import { BridgeError } from '../../../../src-main/core/services/bridge-error';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { startStatusServer, type StatusServer } from '../../../support/status-server';
import {
  answeredStatuses,
  openSyncClient,
  TempDirs,
  TEST_ENGINE,
  waitFor,
  waitForState,
  type SyncClient,
  type SyncClientSetup,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * Each way sync can fail ends in the state the design documents, with the OS keychain (a service
 * name of this run alone) holding the refresh tokens:
 * - an access token that expires is refreshed ahead of time, or once after a 401: idle;
 * - a revoked refresh token: needs-sign-in, and no more requests;
 * - the service down: offline with a retry time, idle again when it is back and the network
 *   reported up;
 * - 429 and 503: error with retryAt at Retry-After, and no request before it (events included);
 * - a CA not trusted, an expired certificate: error tls_untrusted / tls_expired, retryAt null, and
 *   never retried by itself;
 * - a plain http:// address: insecure_url, and no request;
 * - the account deactivated by an admin: needs-sign-in, and the replica, the session file and the
 *   keychain entry are wiped.
 */

const PASSWORD = 'demo-password-1';
const DAY = 86_400_000;

let t: TestServer;
let short: TestServer;
let plain: TestServer;
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-failures-${randomUUID()}` });
const clients: SyncClient[] = [];
const proxies: FaultProxy[] = [];
const services: HelpdeskService[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  [t, short, plain] = await Promise.all([
    startTestServer({ demo: true }),
    startTestServer({ demo: true, authPolicy: { accessTokenSeconds: 2 } }),
    startTestServer({ insecureHttp: true }),
  ]);
});
afterAll(async () => {
  for (const service of services) await service.close();
  for (const client of clients) await client.close();
  for (const proxy of proxies) await proxy.close();
  for (const server of servers) await server.close();
  await Promise.all([t?.close(), short?.close(), plain?.close()]);
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  dirs.cleanup();
});

async function client(
  server: TestServer,
  email: string,
  setup: Partial<SyncClientSetup> = {},
): Promise<SyncClient> {
  const c = await openSyncClient({
    serviceUrl: server.server.url,
    ca: server.ca,
    tenant: 'acme',
    email,
    dir: dirs.make('helpdesk-failures-'),
    store,
    ...setup,
  });
  clients.push(c);
  return c;
}

function anyTicketId(c: SyncClient): string {
  return c.replica.all('ticket')[0]!.id;
}

function addTag(c: SyncClient, tag: string): void {
  c.replica.mutate('addTags', { ticketId: anyTicketId(c), tags: [tag] }, new Date().toISOString());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sleeps until the access token of `accessTokenSeconds: 2` has certainly expired on the service. */
const outliveAccessToken = () => sleep(2_100);

describe('access token expiry', () => {
  it('refreshes ahead of expiry: no request goes out with an expired token', async () => {
    const c = await client(short, 'agent1@acme.test');
    let refreshes = 0;
    c.tokens.onTokens(() => refreshes++);
    expect((await c.engine.syncNow()).state).toBe('idle');
    const syncBefore = answeredStatuses(short.logs, '/api/v1/sync/').length;
    await outliveAccessToken();
    addTag(c, 'token-ahead');
    expect(await c.engine.syncNow()).toMatchObject({ state: 'idle' });
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(c.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
    const sync = answeredStatuses(short.logs, '/api/v1/sync/').slice(syncBefore);
    expect(sync.length).toBeGreaterThanOrEqual(2);
    expect(sync.every((status) => status === 200)).toBe(true);
    // The rotated refresh token replaced the first one in the keychain.
    const stored = await store.get(c.account);
    expect(stored).toEqual(expect.any(String));
    expect(stored).not.toBe(c.login.refreshToken);
  });

  it('refreshes once after a 401 when the token expired sooner than the client thought', async () => {
    // A client clock that can be stopped: then the token looks fresh to the client for ever.
    let frozen: Date | null = null;
    const c = await client(short, 'agent2@acme.test', { tokenClock: () => frozen ?? new Date() });
    expect((await c.engine.syncNow()).state).toBe('idle');
    // A fresh token, and the clock stops.
    await c.tokens.refreshAfterUnauthorized();
    frozen = new Date();
    let refreshes = 0;
    c.tokens.onTokens(() => refreshes++);
    const pushBefore = answeredStatuses(short.logs, '/api/v1/sync/push').length;
    const refreshBefore = answeredStatuses(short.logs, '/api/v1/auth/refresh').length;
    await outliveAccessToken();
    addTag(c, 'token-401');
    expect(await c.engine.syncNow()).toMatchObject({ state: 'idle' });
    expect(refreshes).toBe(1);
    expect(answeredStatuses(short.logs, '/api/v1/sync/push').slice(pushBefore)).toEqual([401, 200]);
    expect(answeredStatuses(short.logs, '/api/v1/auth/refresh').slice(refreshBefore)).toEqual([
      200,
    ]);
    expect(c.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
  });
});

describe('a revoked refresh token', () => {
  it('ends in needs-sign-in, keeps the pending change, and stops', async () => {
    const c = await client(t, 'agent1@acme.test');
    c.engine.start();
    await waitForState(c.engine, 'idle');
    // The session is ended on the service (log-out elsewhere): its access token dies with it.
    const refreshToken = (await store.get(c.account))!;
    const logout = await t.api.call('POST', '/api/v1/auth/logout', { body: { refreshToken } });
    expect(logout.status).toBe(204);
    const refreshBefore = answeredStatuses(t.logs, '/api/v1/auth/refresh').length;
    addTag(c, 'after-revoke');
    c.engine.requestSync();
    const status = await waitForState(c.engine, 'needs-sign-in');
    expect(status.reason).toMatch(/sign in again/i);
    expect(answeredStatuses(t.logs, '/api/v1/auth/refresh').slice(refreshBefore)).toEqual([401]);
    expect(c.engine.snapshot()).toMatchObject({ pending: 1 });
    // Stopped: a local change or the network coming back sends nothing more.
    const requests = answeredStatuses(t.logs, '/api/v1/').length;
    c.engine.requestSync();
    c.engine.networkUp();
    await sleep(600);
    expect(answeredStatuses(t.logs, '/api/v1/').length).toBe(requests);
    expect(c.engine.snapshot().status.state).toBe('needs-sign-in');
  });
});

describe('the service down', () => {
  it('is offline with a retry time while the service is stopped, idle once it is back', async () => {
    const dataDir = dirs.make('helpdesk-down-server-');
    let down = await startTestServer({ demo: true, dataDir, logLevel: 'warn' });
    const port = down.server.port;
    // A long backoff without jitter: coming back before retryAt is networkUp's doing.
    const c = await client(down, 'agent2@acme.test', {
      engine: { backoff: { baseMs: 20_000, maxMs: 20_000 }, random: () => 1 },
    });
    c.engine.start();
    await waitForState(c.engine, 'idle');
    await down.close();

    addTag(c, 'while-down');
    c.engine.requestSync();
    const offline = await waitForState(c.engine, 'offline');
    expect(offline.reason).toMatch(/refused|could not be reached|lost/i);
    const retryAt = Date.parse(offline.retryAt!);
    expect(retryAt - Date.now()).toBeGreaterThan(15_000);
    expect(c.engine.snapshot().pending).toBe(1);

    down = await startTestServer({ demo: true, dataDir, port, logLevel: 'warn' });
    servers.push(down);
    c.engine.networkUp();
    await waitForState(c.engine, 'idle', 10_000, () => c.replica.counts().pending === 0);
    expect(Date.now()).toBeLessThan(retryAt);
  });

  it('is offline while a proxy resets every connection, retrying with backoff; idle after', async () => {
    const proxy = await startFaultProxy({ targetPort: t.server.port });
    proxies.push(proxy);
    const c = await client(t, 'agent2@acme.test', { targetUrl: proxy.url });
    expect((await c.engine.syncNow()).state).toBe('idle');
    proxy.setMode('refuse');
    c.engine.start();
    const offline = await waitForState(c.engine, 'offline');
    expect(Date.parse(offline.retryAt!) - Date.now()).toBeLessThanOrEqual(500);
    // It keeps trying (the backoff is at most 500 ms here), and stays offline.
    const before = proxy.connections;
    await waitFor('three more attempts', () => proxy.connections >= before + 3, 5_000);
    expect(c.engine.snapshot().status.state).toMatch(/^(offline|syncing)$/);
    proxy.setMode('pass');
    c.engine.networkUp();
    await waitForState(c.engine, 'idle');
  });
});

describe('the service asks to wait', () => {
  let status: StatusServer;
  beforeAll(async () => {
    status = await startStatusServer({ dataDir: t.dataDir }, { status: 500 });
    servers.push(status);
  });

  it('429 with Retry-After, then 503 with Retry-After: error with retryAt, nothing sent before it', async () => {
    status.answer = {
      status: 429,
      headers: { 'retry-after': '2', 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down.' } }),
    };
    const c = await client(t, 'agent3@acme.test', { targetUrl: status.url });
    const started = Date.now();
    c.engine.start();
    const limited = await waitForState(c.engine, 'error');
    expect(limited).toMatchObject({ code: 'rate_limited', reason: 'Slow down.' });
    const retryAt = Date.parse(limited.retryAt!);
    expect(retryAt - started).toBeGreaterThanOrEqual(1_900);
    expect(retryAt - Date.now()).toBeLessThanOrEqual(2_100);
    const pullsAt = () =>
      status.requests.filter((r) => r.url.startsWith('/api/v1/sync/pull')).length;
    expect(pullsAt()).toBe(1);
    await waitFor('the events stream to ask too', () =>
      status.requests.some((r) => r.url.startsWith('/api/v1/sync/events')),
    );

    // Nothing at all (neither a cycle nor the events stream) before Retry-After has passed, though
    // the backoff alone would have retried within 50 ms.
    const requests = status.requests.length;
    await sleep(1_000);
    expect(status.requests.length).toBe(requests);

    status.answer = {
      status: 503,
      headers: { 'retry-after': '1' },
      body: 'Service Unavailable',
    };
    await waitFor('the retry', () => pullsAt() >= 2, 5_000);
    const secondPullSeen = Date.now();
    expect(secondPullSeen).toBeGreaterThanOrEqual(retryAt - 50);
    const unavailable = await waitForState(
      c.engine,
      'error',
      5_000,
      (s) => s.code === 'unavailable',
    );
    const secondRetryAt = Date.parse(unavailable.retryAt!);
    expect(secondRetryAt - secondPullSeen).toBeGreaterThan(500);
    expect(secondRetryAt - secondPullSeen).toBeLessThanOrEqual(1_050);
    await waitFor('the retry after the 503', () => pullsAt() >= 3, 5_000);
    expect(Date.now()).toBeGreaterThanOrEqual(secondRetryAt - 50);
    c.engine.stop();
  });
});

describe('certificates', () => {
  it('a CA not trusted: error tls_untrusted, and no further connection, even on networkUp', async () => {
    const otherCa = await selfsigned.generate([{ name: 'commonName', value: 'Some other CA' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'basicConstraints', cA: true, critical: true }],
    });
    const proxy = await startFaultProxy({ targetPort: t.server.port });
    proxies.push(proxy);
    const c = await client(t, 'agent4@acme.test', {
      targetUrl: proxy.url,
      client: { ca: otherCa.cert },
    });
    const requests = answeredStatuses(t.logs, '/api/v1/').length;
    c.engine.start();
    const status = await c.engine.syncNow();
    expect(status).toEqual({
      state: 'error',
      code: 'tls_untrusted',
      reason: "The server's certificate is not trusted.",
      retryAt: null,
    });
    // The events stream tried once too, at start; let its connection land before counting.
    await sleep(200);
    const connections = proxy.connections;
    expect(connections).toBeGreaterThanOrEqual(1);
    // Never retried silently: not by the backoff, not on a local change, not on networkUp.
    c.replica.mutate(
      'createContact',
      { id: randomUUID(), name: 'Untrusted' },
      new Date().toISOString(),
    );
    c.engine.requestSync();
    c.engine.networkUp();
    await sleep(1_000);
    expect(proxy.connections).toBe(connections);
    expect(c.engine.snapshot().status).toMatchObject({ state: 'error', code: 'tls_untrusted' });
    // And no request ever reached the service.
    expect(answeredStatuses(t.logs, '/api/v1/').length).toBe(requests);
  });

  it('an expired certificate: error tls_expired, not retried', async () => {
    const caDir = join(t.dataDir, 'tls');
    const certDir = dirs.make('helpdesk-expired-cert-');
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'expired' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(Date.now() - 400 * DAY),
      notAfterDate: new Date(Date.now() - 30 * DAY),
      ca: {
        key: readFileSync(join(caDir, 'ca-key.pem'), 'utf8'),
        cert: readFileSync(join(caDir, 'ca.pem'), 'utf8'),
      },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
    writeFileSync(join(certDir, 'cert.pem'), pems.cert);
    writeFileSync(join(certDir, 'key.pem'), pems.private, { mode: 0o600 });
    const expired = await startTestServer({
      tlsCertFile: join(certDir, 'cert.pem'),
      tlsKeyFile: join(certDir, 'key.pem'),
    });
    servers.push(expired);
    const c = await client(t, 'agent1@acme.test', { targetUrl: expired.server.url });
    c.engine.start();
    const status = await waitForState(c.engine, 'error');
    expect(status).toEqual({
      state: 'error',
      code: 'tls_expired',
      reason: "The server's certificate has expired.",
      retryAt: null,
    });
    c.engine.networkUp();
    await sleep(300);
    expect(c.engine.snapshot().status).toEqual(status);
    expect(answeredStatuses(expired.logs, '/api/v1/')).toEqual([]);
  });
});

describe('a plain http:// address', () => {
  it('is refused as insecure_url before any request, and nothing is stored', async () => {
    const dataDir = dirs.make('helpdesk-plain-');
    const service = new HelpdeskService({ dataDir, credentials: store, engine: TEST_ENGINE });
    services.push(service);
    const signIn = (serverUrl: string) =>
      service.invoke('signIn', {
        serverUrl,
        tenant: 'acme',
        email: 'agent1@acme.test',
        password: PASSWORD,
      });
    expect(plain.server.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await expect(signIn(plain.server.url)).rejects.toMatchObject({
      name: 'BridgeError',
      code: 'insecure_url',
    });
    await expect(signIn('http://help.example.test')).rejects.toMatchObject({
      code: 'insecure_url',
    });
    expect(answeredStatuses(plain.logs, '/api/v1/')).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await service.invoke('getSession', {})).toBeNull();

    // The same address goes through when loopback http is explicitly allowed (development):
    // the refusal above was the client's, not a failure to connect.
    const dev = new HelpdeskService({
      dataDir,
      credentials: store,
      engine: TEST_ENGINE,
      allowInsecureLoopback: true,
    });
    services.push(dev);
    const devSignIn = dev.invoke('signIn', {
      serverUrl: plain.server.url,
      tenant: 'acme',
      email: 'agent1@acme.test',
      password: PASSWORD,
    });
    // That service has no tenant acme: its answer is a wrong log-in.
    await expect(devSignIn).rejects.toMatchObject({ code: 'unauthorized' });
    expect(answeredStatuses(plain.logs, '/api/v1/auth/login')).toEqual([401]);
    // Not even plain http to a host other than loopback is allowed in development.
    await expect(
      dev.invoke('signIn', {
        serverUrl: 'http://help.example.test',
        tenant: 'acme',
        email: 'agent1@acme.test',
        password: PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'insecure_url' });
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('an account deactivated by an admin', () => {
  it('ends in needs-sign-in and wipes the replica, the session file and the keychain entry', async () => {
    const dataDir = dirs.make('helpdesk-disabled-');
    const service = new HelpdeskService({ dataDir, credentials: store, engine: TEST_ENGINE });
    services.push(service);
    const statuses: SyncSnapshot[] = [];
    service.on('syncStatus', (snapshot) => statuses.push(snapshot));
    const session = await service.invoke('signIn', {
      serverUrl: t.server.url,
      tenant: 'acme',
      email: 'agent5@acme.test',
      password: PASSWORD,
      caCertificate: t.ca,
    });
    const account = accountKey(t.server.url, 'acme', 'agent5@acme.test');
    let last = '';
    await waitFor('idle', async () => {
      const { status } = await service.invoke('getSyncStatus', {});
      last = JSON.stringify(status);
      return status.state === 'idle';
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last status ${last}`);
    });
    expect(await store.get(account)).toEqual(expect.any(String));
    const replicaFiles = () =>
      readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((name) =>
        /(^|\/)replica-/.test(name),
      );
    expect(replicaFiles().length).toBeGreaterThan(0);
    expect(existsSync(join(dataDir, 'accounts.json'))).toBe(true);

    const admin = await t.api.login('acme', 'admin@acme.test');
    const patch = await t.api.call('PATCH', `/api/v1/admin/users/${session.user.id}`, {
      token: admin.accessToken,
      body: { active: false },
    });
    expect(patch.status).toBe(200);

    // A sync now, or the poke that the change of the user list sends, meets account_disabled.
    const outcome = await service.invoke('syncNow', {}).then(
      (snapshot) => snapshot,
      (error: unknown) => error,
    );
    if (outcome instanceof BridgeError) expect(outcome.code).toBe('not_signed_in');
    else expect(outcome).toMatchObject({ status: { state: 'needs-sign-in' } });
    await waitFor(
      'the wipe',
      async () => replicaFiles().length === 0 && (await store.list()).every((a) => a !== account),
    );
    expect(statuses.at(-1)!.status).toEqual({
      state: 'needs-sign-in',
      reason: 'This account has been deactivated by an administrator.',
    });
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await store.get(account)).toBeNull();
    expect(await service.invoke('getSession', {})).toBeNull();
    await expect(service.invoke('listTickets', {})).rejects.toMatchObject({
      code: 'not_signed_in',
    });
  });
});
