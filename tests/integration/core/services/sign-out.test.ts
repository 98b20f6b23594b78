import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKey } from '../../../../src-main/core/credentials/credential-store';
import { KeytarCredentialStore } from '../../../../src-main/core/credentials/keytar-credential-store';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import {
  answeredStatuses,
  serverState,
  TempDirs,
  TEST_ENGINE,
  waitFor,
} from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * HelpdeskService as the bridge calls it (`invoke`), with the real OS keychain (a service name of
 * this run alone), real replica files, and the real service behind a fault proxy that takes it
 * offline:
 * - sign-out first pushes; when it cannot, it reports how many changes would be lost and deletes
 *   nothing; once it can, it pushes, revokes the session on the service and leaves nothing of the
 *   account on disk or in the keychain;
 * - every input is checked against the bridge contract before anything runs;
 * - a new service (the app started again) resumes the session from disk and keychain, offline.
 */

const PASSWORD = 'demo-password-1';

let t: TestServer;
let proxy: FaultProxy;
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-signout-${randomUUID()}` });
const services: HelpdeskService[] = [];

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  proxy = await startFaultProxy({ targetPort: t.server.port });
});
afterAll(async () => {
  for (const service of services) await service.close();
  await proxy?.close();
  await t?.close();
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  dirs.cleanup();
});

function newService(dataDir: string): HelpdeskService {
  const service = new HelpdeskService({ dataDir, credentials: store, engine: TEST_ENGINE });
  services.push(service);
  return service;
}

function signIn(service: HelpdeskService, email: string) {
  return service.invoke('signIn', {
    serverUrl: proxy.url,
    tenant: 'acme',
    email,
    password: PASSWORD,
    caCertificate: t.ca,
  });
}

async function waitForSynced(service: HelpdeskService, pending = 0) {
  let last = '';
  await waitFor('idle', async () => {
    const snapshot = await service.invoke('getSyncStatus', {});
    last = JSON.stringify(snapshot);
    return snapshot.status.state === 'idle' && snapshot.pending === pending;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last snapshot ${last}`);
  });
}

/** Files of accounts in the data folder: replicas (and their -wal/-shm) and the registry. */
function accountFiles(dataDir: string): string[] {
  return readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter(
    (name) =>
      /(^|\/)replica-.*\.sqlite(-wal|-shm|-journal)?$/.test(name) || name === 'accounts.json',
  );
}

/** A digest of everything a call could change in a replica, read over a separate connection. */
function replicaDigest(dataDir: string): string {
  const file = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).find((name) =>
    /(^|\/)replica-.*\.sqlite$/.test(name),
  );
  if (!file) throw new Error('no replica file');
  const db = new BetterSqlite3(join(dataDir, file), { readonly: true });
  try {
    const hash = createHash('sha256');
    for (const table of ['meta', 'outbox', 'overlay', 'needs_attention', 'base', 'tickets']) {
      hash.update(JSON.stringify(db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

describe('signing in again after the session ended', () => {
  it('keeps the replica and its outbox, and sends what was queued', async () => {
    const dataDir = dirs.make('helpdesk-resignin-');
    const service = newService(dataDir);
    const email = 'agent2@acme.test';
    await signIn(service, email);
    await waitForSynced(service);
    const { tickets } = await service.invoke('listTickets', { limit: 1 });
    const ticketId = tickets[0]!.id;

    // Offline work, then the session ends on the service (every session of the user revoked).
    proxy.setMode('refuse');
    await service.invoke('mutate', { name: 'addTags', args: { ticketId, tags: ['kept-offline'] } });
    const account = accountKey(proxy.url, 'acme', email);
    const refreshToken = (await store.get(account))!;
    await t.api.call('POST', '/api/v1/auth/logout', { body: { refreshToken } });
    proxy.setMode('pass');
    await service.invoke('syncNow', {});
    await waitFor('needs-sign-in', async () => {
      const { status } = await service.invoke('getSyncStatus', {});
      return status.state === 'needs-sign-in';
    });
    expect((await service.invoke('getSyncStatus', {})).pending).toBe(1);

    // Signing in as the same user keeps the queued change and sends it.
    await signIn(service, email);
    await waitForSynced(service);
    const server = await serverState(t.api, 'acme', email);
    expect(server.tickets.get(ticketId)!.tags).toContain('kept-offline');
    // Another account is still refused while this one is signed in.
    await expect(signIn(service, 'agent3@acme.test')).rejects.toMatchObject({
      code: 'already_signed_in',
    });
    expect(await service.invoke('signOut', {})).toEqual({ status: 'signed-out' });
    expect(await store.list()).toEqual([]);
  });
});

describe('sign-out', () => {
  it('keeps everything while changes cannot be sent, then pushes, revokes and leaves nothing', async () => {
    const dataDir = dirs.make('helpdesk-signout-');
    const service = newService(dataDir);
    const email = 'agent1@acme.test';
    const session = await signIn(service, email);
    expect(session).toMatchObject({ tenant: { slug: 'acme' }, user: { email } });
    const account = accountKey(proxy.url, 'acme', email);
    expect(await store.list()).toEqual([account]);
    await waitForSynced(service);

    // Work: read, change, see it confirmed.
    const page = await service.invoke('listTickets', { status: ['open'], limit: 5 });
    expect(page.tickets).toHaveLength(5);
    const ticketId = page.tickets[0]!.id;
    const online = randomUUID();
    await service.invoke('mutate', {
      name: 'addComment',
      args: { id: online, ticketId, body: 'online', public: true },
    });
    await service.invoke('mutate', {
      name: 'setTicketFields',
      args: { ticketId, fields: { priority: 'high' } },
    });
    await waitForSynced(service);

    // The service cannot be reached: two more changes stay pending.
    proxy.setMode('refuse');
    const offline = randomUUID();
    await service.invoke('mutate', { name: 'addTags', args: { ticketId, tags: ['signout-test'] } });
    await service.invoke('mutate', {
      name: 'addComment',
      args: { id: offline, ticketId, body: 'offline', public: false },
    });
    expect(await service.invoke('signOut', {})).toEqual({ status: 'pending-changes', pending: 2 });
    // Nothing deleted, still signed in, still working.
    expect(await store.get(account)).toEqual(expect.any(String));
    expect(accountFiles(dataDir)).toEqual(expect.arrayContaining(['accounts.json']));
    expect(accountFiles(dataDir).some((name) => name.endsWith('.sqlite'))).toBe(true);
    expect(await service.invoke('getSession', {})).toMatchObject({ user: { email } });
    const detail = await service.invoke('getTicket', { id: ticketId });
    expect(detail!.ticket).toMatchObject({
      pending: true,
      tags: expect.arrayContaining(['signout-test']),
    });
    expect(detail!.comments.map((c) => c.id)).toEqual(expect.arrayContaining([online, offline]));
    expect((await service.invoke('getSyncStatus', {})).pending).toBe(2);

    // Back online: sign-out pushes the two, then signs out.
    const refreshToken = (await store.get(account))!;
    proxy.setMode('pass');
    expect(await service.invoke('signOut', {})).toEqual({ status: 'signed-out' });

    const server = await serverState(t.api, 'acme', email);
    expect(server.comments.get(offline)).toMatchObject({
      ticketId,
      body: 'offline',
      public: false,
    });
    expect(server.tickets.get(ticketId)!.tags).toContain('signout-test');
    expect(server.tickets.get(ticketId)!.priority).toBe('high');

    // Nothing of the account is left on this machine…
    expect(await store.list()).toEqual([]);
    expect(await store.get(account)).toBeNull();
    expect(accountFiles(dataDir)).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await service.invoke('getSession', {})).toBeNull();
    await expect(service.invoke('listTickets', {})).rejects.toMatchObject({
      code: 'not_signed_in',
    });
    // …and the session is over on the service: its last refresh token (never used) is refused.
    const refresh = await t.api.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken, clientId: randomUUID() },
    });
    expect(refresh.status).toBe(401);
  });

  it('with discardPending while offline: deletes everything local at once', async () => {
    const dataDir = dirs.make('helpdesk-signout-discard-');
    const service = newService(dataDir);
    await signIn(service, 'agent4@acme.test');
    await waitForSynced(service);
    const { tickets } = await service.invoke('listTickets', { limit: 1 });
    proxy.setMode('refuse');
    try {
      await service.invoke('mutate', {
        name: 'addTags',
        args: { ticketId: tickets[0]!.id, tags: ['discarded'] },
      });
      expect(await service.invoke('signOut', {})).toEqual({
        status: 'pending-changes',
        pending: 1,
      });
      expect(await service.invoke('signOut', { discardPending: true })).toEqual({
        status: 'signed-out',
      });
    } finally {
      proxy.setMode('pass');
    }
    expect(await store.list()).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('invoke', () => {
  it('rejects unknown calls and invalid inputs with bad_request, without touching the replica', async () => {
    const dataDir = dirs.make('helpdesk-invoke-');
    const service = newService(dataDir);
    await signIn(service, 'agent2@acme.test');
    await waitForSynced(service);
    const { tickets } = await service.invoke('listTickets', { limit: 1 });
    const ticketId = tickets[0]!.id;
    const comment = { id: randomUUID(), ticketId, body: 'hello', public: true };
    const before = replicaDigest(dataDir);

    const invoke = service.invoke.bind(service) as (
      call: string,
      input: unknown,
    ) => Promise<unknown>;
    const bad: Array<[string, unknown]> = [
      ['noSuchCall', {}],
      ['toString', {}],
      ['constructor', {}],
      ['__proto__', {}],
      ['hasOwnProperty', {}],
      ['mutate', 'addComment'],
      ['mutate', null],
      ['mutate', { name: 42, args: comment }],
      ['mutate', { name: 'addComment', args: comment, extra: true }],
      ['mutate', { name: 'addComment', args: [comment] }],
      ['mutate', { name: 'addComment', args: { ...comment, id: 'not-a-uuid' } }],
      ['mutate', { name: 'addComment', args: { ...comment, public: 'yes' } }],
      ['mutate', { name: 'addComment', args: { ...comment, extra: 1 } }],
      ['mutate', { name: 'dropEverything', args: {} }],
      ['listTickets', { limit: 'ten' }],
      ['listTickets', { status: ['bogus'] }],
      ['listTickets', { unknownFilter: 1 }],
      ['searchTickets', { text: 5 }],
      ['getTicket', { id: 5 }],
      ['getTicket', { id: ticketId, extra: 1 }],
      ['undo', { all: true }],
      ['resolveNeedsAttention', { id: 1.5, choice: 'mine' }],
      ['resolveNeedsAttention', { id: 1, choice: 'both' }],
      ['signOut', { discardPending: 'yes' }],
      [
        'signIn',
        { serverUrl: proxy.url, tenant: 'acme', email: 'x@acme.test', password: 'p', admin: true },
      ],
    ];
    for (const [call, input] of bad) {
      const outcome = await invoke(call, input).then(
        (value) => ({ resolved: value }),
        (error: unknown) => error,
      );
      expect(outcome, `${call} ${JSON.stringify(input)}`).toMatchObject({
        name: 'BridgeError',
        code: 'bad_request',
      });
    }
    // Nothing changed, and the bad sign-out signed nothing out.
    expect(replicaDigest(dataDir)).toBe(before);
    expect(await service.invoke('getSyncStatus', {})).toMatchObject({
      pending: 0,
      needsAttention: 0,
    });
    expect(await service.invoke('getSession', {})).toMatchObject({
      user: { email: 'agent2@acme.test' },
    });
    expect(await store.list()).toHaveLength(1);

    // The digest does see a change: the same call with valid input.
    await service.invoke('mutate', { name: 'addComment', args: comment });
    expect(replicaDigest(dataDir)).not.toBe(before);
    expect(await service.invoke('signOut', {})).toEqual({ status: 'signed-out' });
  });
});

describe('restore', () => {
  it('resumes the session of the last run from disk and keychain, offline', async () => {
    const dataDir = dirs.make('helpdesk-restore-');
    const email = 'agent3@acme.test';
    const first = newService(dataDir);
    const session = await signIn(first, email);
    await waitForSynced(first);
    const { tickets, total } = await first.invoke('listTickets', { limit: 3 });
    const ticketId = tickets[0]!.id;
    proxy.setMode('refuse');
    const queued = randomUUID();
    try {
      await first.invoke('mutate', {
        name: 'addComment',
        args: { id: queued, ticketId, body: 'queued before a restart', public: true },
      });
      await first.close();

      // The app starts again, with the service still out of reach.
      const second = newService(dataDir);
      expect(await second.invoke('getSession', {})).toBeNull();
      expect(await second.restore()).toEqual(session);
      expect(await second.invoke('getSession', {})).toEqual(session);
      const page = await second.invoke('listTickets', { limit: 3 });
      expect(page.total).toBe(total);
      expect(page.tickets.map((x) => x.id)).toEqual(expect.arrayContaining([ticketId]));
      const detail = await second.invoke('getTicket', { id: ticketId });
      expect(detail!.comments.map((c) => c.id)).toContain(queued);
      let last = '';
      await waitFor('offline', async () => {
        const snapshot = await second.invoke('getSyncStatus', {});
        last = JSON.stringify(snapshot);
        return snapshot.status.state === 'offline' && snapshot.pending === 1;
      }).catch((error: Error) => {
        throw new Error(`${error.message}; last ${last}`);
      });

      // Back online: the refresh token from the keychain gets a new access token, and the queued
      // change goes out.
      proxy.setMode('pass');
      const snapshot = await second.invoke('syncNow', {});
      expect(snapshot).toMatchObject({ status: { state: 'idle' }, pending: 0 });
      const server = await serverState(t.api, 'acme', email);
      expect(server.comments.get(queued)).toMatchObject({ ticketId });
      expect(await second.invoke('signOut', {})).toEqual({ status: 'signed-out' });
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      proxy.setMode('pass');
    }
    expect(existsSync(join(dataDir, 'accounts.json'))).toBe(false);
  });
});

describe('close', () => {
  it('returns at once when closed mid-sync, and leaves the replica usable', async () => {
    const dataDir = dirs.make('helpdesk-close-');
    const email = 'agent5@acme.test';
    const first = newService(dataDir);
    const session = await signIn(first, email);
    await waitForSynced(first);
    const { tickets } = await first.invoke('listTickets', { limit: 1 });
    const ticketId = tickets[0]!.id;

    // A sync whose request is held by the network: close the service (the app quits) meanwhile.
    const pushesBefore = answeredStatuses(t.logs, '/api/v1/sync/push').length;
    proxy.setMode('blackhole');
    let outcome: unknown;
    try {
      const syncing = first
        .invoke('mutate', { name: 'addTags', args: { ticketId, tags: ['closed-mid-sync'] } })
        .then(() => first.invoke('syncNow', {}))
        .then(
          (value) => value,
          (error: unknown) => error,
        );
      // The push went out (into the held connection) and nothing came back.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(answeredStatuses(t.logs, '/api/v1/sync/push').length).toBe(pushesBefore);
      // Closing does not wait for the request's timeout (30 s).
      const closingAt = Date.now();
      await first.close();
      expect(Date.now() - closingAt).toBeLessThan(1_000);
      outcome = await syncing;
    } finally {
      proxy.setMode('pass');
    }
    // The sync stopped quietly: it did not go on with a closed replica ("The database connection
    // is not open" as an internal error).
    expect(JSON.stringify(outcome)).not.toMatch(/internal|not open/);
    expect(outcome).not.toBeInstanceOf(Error);

    // The replica is intact: the next run finds the session and the change.
    const second = newService(dataDir);
    expect(await second.restore()).toEqual(session);
    const detail = await second.invoke('getTicket', { id: ticketId });
    expect(detail!.ticket.tags).toContain('closed-mid-sync');
    await waitForSynced(second);
    expect(await second.invoke('signOut', {})).toEqual({ status: 'signed-out' });
  });
});
