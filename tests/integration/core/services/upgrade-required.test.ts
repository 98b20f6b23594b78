import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarCredentialStore } from '../../../../src-main/core/credentials/keytar-credential-store';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { ApiClient } from '../../../support/api-client';
import { serverState, TempDirs, TEST_ENGINE, waitFor } from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * A service that requires version 1.1.0, and the app at 1.0.0 and 1.1.0 over the same data folder
 * (the app before and after an update): the old one is told to update and keeps its outbox; the
 * updated one sends what was queued. Real service over HTTPS, real keychain, real replica files.
 */

const EMAIL = 'agent4@acme.test';
const PASSWORD = 'demo-password-1';
let t: TestServer;
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-upgrade-${randomUUID()}` });
const open: HelpdeskService[] = [];

const tagsOnService = async (ticketId: string) =>
  (await serverState(new ApiClient(t.server.url, t.ca, '1.1.0'), 'acme', EMAIL)).tickets.get(
    ticketId,
  )!.tags;

beforeAll(async () => {
  t = await startTestServer({ demo: true, minClientVersion: '1.1.0' });
});
afterAll(async () => {
  for (const service of open) await service.close();
  await t?.close();
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  dirs.cleanup();
});

function app(dataDir: string, version: string): HelpdeskService {
  const service = new HelpdeskService({
    dataDir,
    credentials: store,
    engine: TEST_ENGINE,
    appInfo: { version, shell: 'preview', signInDefaults: null },
  });
  open.push(service);
  return service;
}

const signIn = (service: HelpdeskService) =>
  service.invoke('signIn', {
    serverUrl: t.server.url,
    tenant: 'acme',
    email: EMAIL,
    password: PASSWORD,
    caCertificate: t.ca,
  });

describe('a service requiring a newer app', () => {
  it('refuses signing in from the old version, saying which version to install', async () => {
    const old = app(dirs.make('helpdesk-upgrade-signin-'), '1.0.0');
    const error = await signIn(old).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'upgrade_required',
      message:
        'This version of Help Desk is too old for the service; update to 1.1.0 or later. ' +
        'Your pending changes are kept.',
    });
    expect(await old.invoke('getSession', {})).toBeNull();
  });

  it('stops the old version with its outbox intact; the updated one sends it', async () => {
    const dataDir = dirs.make('helpdesk-upgrade-');
    const current = app(dataDir, '1.1.0');
    await signIn(current);
    await waitFor('the first sync', async () => {
      const snapshot = await current.invoke('getSyncStatus', {});
      return snapshot.status.state === 'idle';
    });
    const { tickets } = await current.invoke('listTickets', { limit: 1 });
    const ticketId = tickets[0]!.id;
    await current.close();

    // The same data folder under an older app: its work is queued, and the service refuses it.
    const old = app(dataDir, '1.0.0');
    expect(await old.restore()).toMatchObject({ tenant: { slug: 'acme' } });
    await old.invoke('mutate', { name: 'addTags', args: { ticketId, tags: ['before-update'] } });
    const stopped = await old.invoke('syncNow', {});
    expect(stopped.status).toEqual({
      state: 'error',
      code: 'upgrade_required',
      reason:
        'This version of Help Desk is too old for the service; update to 1.1.0 or later. ' +
        'Your pending changes are kept.',
      retryAt: null,
      minVersion: '1.1.0',
    });
    expect(stopped.pending).toBe(1);
    expect(await tagsOnService(ticketId)).not.toContain('before-update');
    await old.close();

    // After the update the queued change goes out.
    const updated = app(dataDir, '1.1.0');
    await updated.restore();
    const synced = await updated.invoke('syncNow', {});
    expect(synced).toMatchObject({ status: { state: 'idle' }, pending: 0 });
    expect(await tagsOnService(ticketId)).toContain('before-update');
  });
});
