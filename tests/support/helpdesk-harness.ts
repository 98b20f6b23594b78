import { randomUUID } from 'node:crypto';
import { KeytarCredentialStore } from '../../src-main/core/credentials/keytar-credential-store';
import { HelpdeskService } from '../../src-main/core/services/helpdesk-service';
import type { SessionInfo } from '../../src-shared/bridge/contract';
import type { ServerOptions } from '../../src-server/server';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { TempDirs, TEST_ENGINE, waitFor } from './sync-harness';
import { startTestServer, type TestServer } from './test-server';

/**
 * HelpdeskService tests against the real service behind a fault proxy (which takes it offline),
 * with the real OS keychain under a service name of this run alone. Call `close()` in afterAll.
 */
export interface HelpdeskHarness {
  t: TestServer;
  proxy: FaultProxy;
  /** The keychain store of this run, for a service opened again on the same data folder. */
  store: KeytarCredentialStore;
  /** A signed-in service on a new data folder, synced. */
  signedIn(email: string, tenant?: string): Promise<SignedIn>;
  /** Runs `run` with the service out of reach (connections refused), then lets it back. */
  offline<T>(run: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SignedIn {
  service: HelpdeskService;
  session: SessionInfo;
  dataDir: string;
}

/** Syncs now and waits until nothing is pending and the engine is idle. */
export async function synced(service: HelpdeskService): Promise<void> {
  await service.invoke('syncNow', {});
  await waitFor('synced', async () => {
    const snapshot = await service.invoke('getSyncStatus', {});
    return snapshot.status.state === 'idle' && snapshot.pending === 0;
  });
}

export async function startHelpdeskHarness(
  name: string,
  serverOptions: Partial<ServerOptions> = {},
): Promise<HelpdeskHarness> {
  const t = await startTestServer({ demo: true, ...serverOptions });
  const proxy = await startFaultProxy({ targetPort: t.server.port });
  const dirs = new TempDirs();
  const store = new KeytarCredentialStore({ serviceSuffix: `test-${name}-${randomUUID()}` });
  const services: HelpdeskService[] = [];
  return {
    t,
    proxy,
    store,
    async signedIn(email, tenant = 'acme') {
      const dataDir = dirs.make(`helpdesk-${name}-`);
      const service = new HelpdeskService({ dataDir, credentials: store, engine: TEST_ENGINE });
      services.push(service);
      const session = await service.invoke('signIn', {
        serverUrl: proxy.url,
        tenant,
        email,
        password: 'demo-password-1',
        caCertificate: t.ca,
      });
      await synced(service);
      return { service, session, dataDir };
    },
    async offline(run) {
      proxy.setMode('refuse');
      try {
        return await run();
      } finally {
        proxy.setMode('pass');
      }
    },
    async close() {
      proxy.setMode('pass');
      for (const service of services) await service.close();
      await proxy.close();
      await t.close();
      for (const account of await store.list().catch(() => [])) await store.delete(account);
      dirs.cleanup();
    },
  };
}
