import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummary } from '../../../../src-shared/bridge/accounts';
import type { NewWorkNotice } from '../../../../src-shared/bridge/new-work';
import { attachmentCacheDir } from '../../../../src-main/core/attachments/attachment-cache';
import { accountKey } from '../../../../src-main/core/credentials/credential-store';
import { replicaFileName } from '../../../../src-main/core/replica/replica';
import { accountDir, accountIdOf } from '../../../../src-main/core/services/account-registry';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { NewWorkWatcher } from '../../../../src-main/core/services/new-work-notices';
import { replicaIdentityOf } from '../../../../src-main/core/services/local-data';
import { writeSession } from '../../../../src-main/core/services/session-file';
import { startHelpdeskHarness, type HelpdeskHarness } from '../../../support/helpdesk-harness';
import {
  answeredStatuses,
  openSyncClient,
  serverState,
  TempDirs,
  TEST_ENGINE,
  waitFor,
} from '../../../support/sync-harness';

/**
 * Several accounts on one machine, against the real service with two tenants (acme and globex)
 * behind a fault proxy that takes it offline, with the real OS keychain and real replica files:
 * - each account has its own replica folder, keychain entry and sync engine; every signed-in
 *   account keeps syncing, so changes queued in one are sent while the agent works in another;
 * - the account list counts each account's pending changes, and reconnecting sends each outbox
 *   once, to its own tenant;
 * - signing out of one account removes only its keychain entry and folder;
 * - a data folder of the single-account app opens as one account, its queued changes intact.
 */

const PASSWORD = 'demo-password-1';
const ACME = { tenant: 'acme', email: 'agent2@acme.test' };
const GLOBEX = { tenant: 'globex', email: 'agent1@globex.test' };

let h: HelpdeskHarness;
const dirs = new TempDirs();
const restarted: HelpdeskService[] = [];

beforeAll(async () => {
  h = await startHelpdeskHarness('accounts');
});
afterAll(async () => {
  for (const service of restarted) await service.close();
  await h?.close();
  dirs.cleanup();
});

/** A service over a data folder that has been used before (the app started again). */
function reopen(dataDir: string): HelpdeskService {
  const service = new HelpdeskService({ dataDir, credentials: h.store, engine: TEST_ENGINE });
  restarted.push(service);
  return service;
}

const signInInput = (who: { tenant: string; email: string }) => ({
  serverUrl: h.proxy.url,
  tenant: who.tenant,
  email: who.email,
  password: PASSWORD,
  caCertificate: h.t.ca,
});

const keyOf = (who: { tenant: string; email: string }) =>
  accountKey(h.proxy.url, who.tenant, who.email);

/** Waits until every account is idle with these pending counts, in the list's order. */
async function accountsSettle(service: HelpdeskService, pending: number[]) {
  let last = '';
  return waitFor('the accounts to settle', async () => {
    const accounts = await service.invoke('listAccounts', {});
    last = JSON.stringify(
      accounts.map((a) => [a.tenant.slug, a.sync.status.state, a.sync.pending]),
    );
    const settled =
      accounts.length === pending.length &&
      accounts.every((a, i) => a.sync.status.state === 'idle' && a.sync.pending === pending[i]);
    return settled && accounts;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last ${last}`);
  });
}

async function firstTicketId(service: HelpdeskService): Promise<string> {
  return (await service.invoke('listTickets', { limit: 1 })).tickets[0]!.id;
}

const comment = (ticketId: string, body: string) => ({
  name: 'addComment',
  args: { id: randomUUID(), ticketId, body, public: false },
});

describe('two accounts on two tenants', () => {
  it('sync each on its own, count their changes apart, and push each outbox once to its tenant', async () => {
    const { service, session: acme, dataDir } = await h.signedIn(ACME.email);
    const events: AccountSummary[][] = [];
    service.on('accounts', (accounts) => events.push(accounts));
    const notices: NewWorkNotice[] = [];
    service.on('newWork', (work) => notices.push(...work.notices));
    // Signing in is for the first account (or the same one again); another is added.
    await expect(service.invoke('signIn', signInInput(GLOBEX))).rejects.toMatchObject({
      code: 'already_signed_in',
    });
    const globex = await service.invoke('addAccount', signInInput(GLOBEX));
    expect(globex).toMatchObject({ tenant: { slug: 'globex' }, user: { email: GLOBEX.email } });
    expect(await service.invoke('getSession', {})).toEqual(globex);
    const [acmeAccount, globexAccount] = await accountsSettle(service, [0, 0]);
    expect(acmeAccount).toMatchObject({ id: accountIdOf(acme), active: false, ...acme });
    expect(globexAccount).toMatchObject({ id: accountIdOf(globex), active: true, ...globex });
    expect(acmeAccount!.label).toBe('Acme Field Services');
    expect(globexAccount!.label).toBe('Globex Corporation');

    // Each its own keychain entry and folder; the registry holds no secret.
    expect(await h.store.list()).toEqual([keyOf(ACME), keyOf(GLOBEX)].sort());
    expect(readdirSync(join(dataDir, 'accounts')).sort()).toEqual(
      [acmeAccount!.id, globexAccount!.id].sort(),
    );
    const registry = readFileSync(join(dataDir, 'accounts.json'), 'utf8');
    for (const key of [keyOf(ACME), keyOf(GLOBEX)]) {
      expect(registry).not.toContain((await h.store.get(key))!);
    }
    expect(registry).not.toContain(PASSWORD);

    // Offline: two changes in globex (active), then one in acme after switching to it.
    const globexTicket = await firstTicketId(service);
    const acmeTotal = (await serverState(h.t.api, 'acme', ACME.email)).tickets.size;
    const globexTotal = (await serverState(h.t.api, 'globex', GLOBEX.email)).tickets.size;
    expect((await service.invoke('listTickets', { limit: 1 })).total).toBe(globexTotal);
    const pushesBefore = answeredStatuses(h.t.logs, '/api/v1/sync/push').length;
    h.proxy.setMode('refuse');
    const globexComment = comment(globexTicket, 'queued in globex');
    await service.invoke('mutate', globexComment);
    await service.invoke('mutate', {
      name: 'addTags',
      args: { ticketId: globexTicket, tags: ['globex-offline'] },
    });
    // A watcher of new work, checked by hand: globex's work is its baseline before the switch.
    const watched: NewWorkNotice[] = [];
    const watcher = new NewWorkWatcher(service, (found) => watched.push(...found));
    await watcher.check();
    expect(await service.invoke('switchAccount', { id: acmeAccount!.id })).toEqual(acme);
    // Switching is no news: acme's tickets of mine are not announced as newly assigned.
    await watcher.check();
    expect(watched).toEqual([]);
    expect((await service.invoke('listTickets', { limit: 1 })).total).toBe(acmeTotal);
    expect((await service.invoke('listTickets', { mine: true, limit: 1 })).total).toBeGreaterThan(
      0,
    );
    const acmeTicket = await firstTicketId(service);
    const acmeComment = comment(acmeTicket, 'queued in acme');
    await service.invoke('mutate', acmeComment);

    const offline = await service.invoke('listAccounts', {});
    expect(offline.map((a) => [a.tenant.slug, a.active, a.sync.pending])).toEqual([
      ['acme', true, 1],
      ['globex', false, 2],
    ]);
    expect((await service.invoke('getSyncStatus', {})).pending).toBe(1);
    // The renderer heard of each change: its last list is the list now.
    expect(events.at(-1)).toEqual(offline);

    // Back online: each engine pushes its own outbox, once, to its own tenant.
    h.proxy.setMode('pass');
    service.networkUp();
    await accountsSettle(service, [0, 0]);
    expect(answeredStatuses(h.t.logs, '/api/v1/sync/push').slice(pushesBefore)).toEqual([200, 200]);
    const acmeServer = await serverState(h.t.api, 'acme', ACME.email);
    const globexServer = await serverState(h.t.api, 'globex', GLOBEX.email);
    expect(acmeServer.comments.get(acmeComment.args.id)).toMatchObject({ ticketId: acmeTicket });
    expect(globexServer.comments.get(globexComment.args.id)).toMatchObject({
      ticketId: globexTicket,
    });
    expect(globexServer.tickets.get(globexTicket)!.tags).toContain('globex-offline');
    expect(acmeServer.comments.has(globexComment.args.id)).toBe(false);
    expect(globexServer.comments.has(acmeComment.args.id)).toBe(false);
    const bodies = (state: typeof acmeServer, body: string) =>
      [...state.comments.values()].filter((c) => c.body === body).length;
    expect(bodies(acmeServer, 'queued in acme')).toBe(1);
    expect(bodies(globexServer, 'queued in globex')).toBe(1);
    // Nor for the service's own watcher, whenever its checks ran.
    expect(notices).toEqual([]);

    // Signing out of globex (in the background) leaves acme as it is.
    expect(
      await service.invoke('signOut', { accountId: globexAccount!.id, discardPending: false }),
    ).toEqual({ status: 'signed-out' });
    expect(await h.store.list()).toEqual([keyOf(ACME)]);
    expect(readdirSync(join(dataDir, 'accounts'))).toEqual([acmeAccount!.id]);
    expect(await service.invoke('getSession', {})).toEqual(acme);
    const [remaining] = await accountsSettle(service, [0]);
    expect(remaining).toMatchObject({ id: acmeAccount!.id, active: true });
    expect((await service.invoke('getTicket', { id: acmeTicket }))!.comments).toContainEqual(
      expect.objectContaining({ id: acmeComment.args.id }),
    );
    await expect(service.invoke('switchAccount', { id: globexAccount!.id })).rejects.toMatchObject({
      code: 'not_found',
    });

    // The app starts again: acme comes back, alone and active.
    await service.close();
    const again = reopen(dataDir);
    expect(await again.restore()).toEqual(acme);
    expect((await again.invoke('listAccounts', {})).map((a) => a.id)).toEqual([acmeAccount!.id]);
    expect(await again.invoke('signOut', {})).toEqual({ status: 'signed-out' });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('sends what a background account queued while the agent works in another', async () => {
    const { service } = await h.signedIn('agent4@acme.test');
    const acmeTicket = await firstTicketId(service);
    h.proxy.setMode('refuse');
    const queued = comment(acmeTicket, 'sent from the background');
    await service.invoke('mutate', queued);
    // Another account becomes the active one, while acme's change still waits for the network.
    h.proxy.setMode('pass');
    await service.invoke(
      'addAccount',
      signInInput({ tenant: 'globex', email: 'agent2@globex.test' }),
    );
    service.networkUp();
    const [acme, globex] = await accountsSettle(service, [0, 0]);
    expect([acme!.active, globex!.active]).toEqual([false, true]);
    const server = await serverState(h.t.api, 'acme', 'agent4@acme.test');
    expect(server.comments.get(queued.args.id)).toMatchObject({ body: 'sent from the background' });
    for (const account of [acme!, globex!]) {
      expect(await service.invoke('signOut', { accountId: account.id })).toEqual({
        status: 'signed-out',
      });
    }
    expect(await service.invoke('listAccounts', {})).toEqual([]);
    expect(await service.invoke('getSession', {})).toBeNull();
  });
});

describe('a data folder of the single-account app', () => {
  it('opens as one account, with its replica, attachments and pending outbox', async () => {
    const dataDir = dirs.make('helpdesk-accounts-old-layout-');
    const who = { tenant: 'acme', email: 'agent5@acme.test' };
    // The old layout, as the app before accounts left it: session.json, the replica and the
    // attachment cache at the root, the refresh token in the keychain; one change queued offline.
    const old = await openSyncClient({
      serviceUrl: h.proxy.url,
      ca: h.t.ca,
      ...who,
      dir: dataDir,
      store: h.store,
    });
    const stored = {
      serverUrl: old.api.origin,
      tenant: old.login.tenant,
      user: old.login.user,
      caCertificate: h.t.ca,
      allowInsecureLoopback: false,
    };
    await old.engine.syncNow();
    const [ticketId] = (await serverState(h.t.api, 'acme', who.email)).tickets.keys();
    const queued = comment(ticketId!, 'queued by the old app');
    old.replica.mutate(queued.name, queued.args, new Date().toISOString());
    expect(old.replica.counts().pending).toBe(1);
    await old.close();
    writeSession(dataDir, stored);
    const identity = replicaIdentityOf(stored);
    const oldCache = attachmentCacheDir(dataDir, identity);
    mkdirSync(oldCache, { recursive: true });
    writeFileSync(join(oldCache, 'a'.repeat(64)), 'cached content');
    expect(existsSync(join(dataDir, replicaFileName(identity)))).toBe(true);

    h.proxy.setMode('refuse');
    const service = reopen(dataDir);
    try {
      const session = await service.restore();
      expect(session).toEqual({
        serverUrl: stored.serverUrl,
        tenant: stored.tenant,
        user: stored.user,
      });
      const accounts = await service.invoke('listAccounts', {});
      expect(accounts).toHaveLength(1);
      expect(accounts[0]).toMatchObject({ id: accountIdOf(stored), active: true });
      expect((await service.invoke('getSyncStatus', {})).pending).toBe(1);
      const detail = await service.invoke('getTicket', { id: ticketId! });
      expect(detail!.comments.map((c) => c.id)).toContain(queued.args.id);
    } finally {
      h.proxy.setMode('pass');
    }
    // Everything moved into the account's folder; nothing of the old layout is left.
    const dir = accountDir(dataDir, accountIdOf(stored));
    expect(readdirSync(dataDir).sort()).toEqual(['accounts', 'accounts.json']);
    expect(existsSync(join(dir, replicaFileName(identity)))).toBe(true);
    expect(readFileSync(join(attachmentCacheDir(dir, identity), 'a'.repeat(64)), 'utf8')).toBe(
      'cached content',
    );

    // Online, the change queued by the old app reaches the service once.
    service.networkUp();
    await accountsSettle(service, [0]);
    const server = await serverState(h.t.api, 'acme', who.email);
    expect(server.comments.get(queued.args.id)).toMatchObject({ body: 'queued by the old app' });
    expect(await service.invoke('signOut', {})).toEqual({ status: 'signed-out' });
    expect(await h.store.get(keyOf(who))).toBeNull();
  });
});
