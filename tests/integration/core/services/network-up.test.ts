import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarCredentialStore } from '../../../../src-main/core/credentials/keytar-credential-store';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { TempDirs, waitFor } from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * `networkUp()` (the Electron shell calls it when the OS reports the network back): the engine
 * retries at once instead of waiting out its backoff, here an hour long.
 */

let t: TestServer;
let proxy: FaultProxy;
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-network-up-${randomUUID()}` });
let service: HelpdeskService;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  proxy = await startFaultProxy({ targetPort: t.server.port });
});
afterAll(async () => {
  await service?.close();
  await proxy?.close();
  await t?.close();
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  dirs.cleanup();
});

const snapshot = () => service.invoke('getSyncStatus', {});

describe('HelpdeskService.networkUp', () => {
  it('is a no-op when nobody is signed in', () => {
    const idle = new HelpdeskService({ dataDir: dirs.make(), credentials: store });
    expect(() => idle.networkUp()).not.toThrow();
  });

  it('sends what waited offline at once, not after the backoff', async () => {
    const HOUR = 3_600_000;
    service = new HelpdeskService({
      dataDir: dirs.make(),
      credentials: store,
      engine: { backoff: { baseMs: HOUR, maxMs: HOUR }, pollEveryMs: HOUR },
    });
    await service.invoke('signIn', {
      serverUrl: proxy.url,
      tenant: 'acme',
      email: 'agent2@acme.test',
      password: 'demo-password-1',
      caCertificate: t.ca,
    });
    await waitFor('first sync', async () => (await snapshot()).status.state === 'idle');
    const [ticket] = (await service.invoke('listTickets', { limit: 1 })).tickets;

    proxy.setMode('refuse');
    await service.invoke('mutate', {
      name: 'addTags',
      args: { ticketId: ticket!.id, tags: ['network-up'] },
    });
    await waitFor('offline', async () => (await snapshot()).status.state === 'offline');
    const offline = await snapshot();
    expect(offline.pending).toBe(1);
    expect(offline.status).toMatchObject({ retryAt: expect.any(String) });

    proxy.setMode('pass');
    service.networkUp();
    await waitFor('synced', async () => {
      const now = await snapshot();
      return now.status.state === 'idle' && now.pending === 0;
    });
  });
});
