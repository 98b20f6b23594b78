import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../../src-shared/bridge/updates';
import { KeytarCredentialStore } from '../../../src-main/core/credentials/keytar-credential-store';
import { NO_LOG } from '../../../src-main/core/diagnostics/logger';
import { createTlsAgent } from '../../../src-main/core/net/tls-agent';
import { REPLICA_MIGRATIONS } from '../../../src-main/core/replica/migrations';
import { HelpdeskService } from '../../../src-main/core/services/helpdesk-service';
import { FeedHttpExecutor } from '../../../src-main/core/updates/feed-http-executor';
import { UpdateManager } from '../../../src-main/core/updates/update-manager';
import { electronUpdater, installedUpdater } from '../../../src-main/electron/app-updater';
import { ApiClient } from '../../support/api-client';
import {
  mutationRecordsOf,
  openServerDb,
  serverState,
  TempDirs,
  TEST_ENGINE,
  waitFor,
} from '../../support/sync-harness';
import { startTestServer, type TestServer } from '../../support/test-server';
import { publishRelease } from '../../support/update-feed';
import { installApp, type InstalledApp } from '../../support/installed-app';

/**
 * The whole update, with changes queued that the service has not got: an app at 0.1.0, which the
 * service no longer serves (it requires 0.2.0, so nothing leaves the outbox, as offline), checks
 * the service's feed, downloads 0.2.0 with electron-updater and restarts to install it. The
 * replica is closed before the installer runs; the app the update installs (0.2.0) opens the same
 * data folder as every start does (migrations included), finds the outbox as it was, and sends
 * each change to the service exactly once. Real service, keychain, replica files and
 * electron-updater; only installing (which replaces the Electron binary) is recorded instead.
 */

vi.mock('electron', () => {
  throw new Error('the updater must not import electron at runtime');
});

const EMAIL = 'agent3@acme.test';
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-update-${randomUUID()}` });
const open: HelpdeskService[] = [];
let t: TestServer;
let installed: InstalledApp | undefined;

beforeAll(async () => {
  const feedDir = dirs.make('helpdesk-feed-');
  publishRelease(feedDir, '0.2.0', { size: 2 * 1024 * 1024 });
  t = await startTestServer({ demo: true, minClientVersion: '0.2.0', updatesDir: feedDir });
});
afterAll(async () => {
  for (const service of open) await service.close();
  await t?.close();
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  installed?.uninstall();
  dirs.cleanup();
});

function app(dataDir: string, version: string, updates?: UpdateManager): HelpdeskService {
  const service = new HelpdeskService({
    dataDir,
    credentials: store,
    engine: TEST_ENGINE,
    appInfo: { version, shell: 'electron', signInDefaults: null },
    ...(updates ? { updates } : {}),
  });
  open.push(service);
  return service;
}

/** The replica files under a data folder (one account here). */
function replicaFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /(^|\/)replica-[^/]+\.sqlite$/.test(name))
    .map((name) => join(dir, name));
}

interface OutboxRow {
  id: number;
  name: string;
  args: string;
}

/** The outbox and schema version of a replica file, read by a connection of its own. */
function readReplica(file: string): { outbox: OutboxRow[]; version: number } {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return {
      outbox: db.prepare('SELECT id, name, args FROM outbox ORDER BY id').all() as OutboxRow[],
      version: db.pragma('user_version', { simple: true }) as number,
    };
  } finally {
    db.close();
  }
}

describe('an update with changes queued', () => {
  it('closes the replica before installing; the new version sends each change once', async () => {
    const dataDir = dirs.make('helpdesk-update-data-');

    // Signed in and synced by an earlier app the service accepted.
    const earlier = app(dataDir, '0.2.0');
    const session = await earlier.invoke('signIn', {
      serverUrl: t.server.url,
      tenant: 'acme',
      email: EMAIL,
      password: 'demo-password-1',
      caCertificate: t.ca,
    });
    await waitFor('the first sync', async () => {
      const snapshot = await earlier.invoke('getSyncStatus', {});
      return snapshot.status.state === 'idle';
    });
    const ticketId = (await earlier.invoke('listTickets', { limit: 1 })).tickets[0]!.id;
    await earlier.close();

    // The installed app, 0.1.0: its work stays in the outbox, the service refuses it.
    installed = installApp('0.1.0', t.server.url);
    const installs: string[] = [];
    const real = electronUpdater(
      installedUpdater(installed.app, 'linux', installed.resources, NO_LOG),
      new FeedHttpExecutor(createTlsAgent({ ca: t.ca })),
    );
    const [file] = replicaFiles(dataDir);
    const updates = new UpdateManager({
      currentVersion: '0.1.0',
      updater: {
        ...real,
        install: () => {
          // What the installer would find: the replica closed (its WAL folded in and removed).
          installs.push(existsSync(`${file}-wal`) ? 'replica still open' : 'replica closed');
        },
      },
      dataDir,
    });
    const old = app(dataDir, '0.1.0', updates);
    const heard: UpdateStatus[] = [];
    old.on('updateStatus', (status) => heard.push(status));
    await old.restore();
    const tag = `queued-${randomUUID().slice(0, 8)}`;
    const reply = `Queued before the update ${randomUUID()}`;
    await old.invoke('mutate', { name: 'addTags', args: { ticketId, tags: [tag] } });
    await old.invoke('mutate', {
      name: 'addComment',
      args: { id: randomUUID(), ticketId, body: reply, public: true },
    });
    const refused = await old.invoke('syncNow', {});
    expect(refused).toMatchObject({ status: { code: 'upgrade_required' }, pending: 2 });
    const queued = readReplica(file!).outbox;
    expect(queued.map((row) => row.name)).toEqual(['addTags', 'addComment']);

    // The feed is open to the old app: it finds 0.2.0 and downloads it in the background.
    expect((await old.invoke('checkForUpdates', {})).update.state).toBe('downloading');
    await waitFor('the update to be ready', async () => {
      const status = await old.invoke('getUpdateStatus', {});
      return status.update.state === 'ready';
    });
    expect(heard.at(-1)).toMatchObject({
      currentVersion: '0.1.0',
      update: { state: 'ready', version: '0.2.0' },
    });

    // Open, the replica has a write-ahead log; closed cleanly, it has none.
    expect(existsSync(`${file}-wal`)).toBe(true);
    await old.invoke('restartToUpdate', {});
    expect(installs).toEqual(['replica closed']);
    await expect(old.invoke('getSyncStatus', {})).rejects.toMatchObject({
      code: 'not_signed_in',
    });
    expect(readReplica(file!).outbox).toEqual(queued);

    // The version the update installed starts over the same folder: migrations run, the outbox
    // is as it was, and the queued changes go out once.
    const updated = app(dataDir, '0.2.0');
    expect(await updated.restore()).toMatchObject({ user: { id: session.user.id } });
    const reopened = readReplica(file!);
    expect(reopened.version).toBe(REPLICA_MIGRATIONS.at(-1)!.version);
    expect(reopened.outbox).toEqual(queued);
    expect((await updated.invoke('getSyncStatus', {})).pending).toBe(2);
    const synced = await updated.invoke('syncNow', {});
    expect(synced).toMatchObject({ status: { state: 'idle' }, pending: 0 });

    const onService = await serverState(new ApiClient(t.server.url, t.ca, '0.2.0'), 'acme', EMAIL);
    expect(onService.tickets.get(ticketId)!.tags).toContain(tag);
    expect([...onService.comments.values()].filter((c) => c.body === reply)).toHaveLength(1);
    if (!t.databaseUrl) {
      const db = openServerDb(t.dataDir);
      try {
        const records = mutationRecordsOf(db, session.user.id).filter(
          (record) => record.status === 'applied',
        );
        expect(records.map((record) => record.mutationId)).toEqual(queued.map((row) => row.id));
      } finally {
        db.close();
      }
    }
  });
});
