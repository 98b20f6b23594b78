import { mkdirSync } from 'node:fs';
import { accountKey } from '../../../src-main/core/credentials/credential-store';
import { ServiceClient } from '../../../src-main/core/net/service-client';
import { openReplica, type Replica } from '../../../src-main/core/replica/replica';
import { writeSession, type StoredSession } from '../../../src-main/core/services/session-file';
import { TokenSession } from '../../../src-main/core/session/token-session';
import { SyncEngine } from '../../../src-main/core/sync/sync-engine';
import { MemoryCredentialStore } from '../../../src-main/preview/preview-credentials';

export interface Account {
  tenant: string;
  email: string;
  password: string;
}

export interface ServiceAddress {
  url: string;
  /** PEM of the service's CA. */
  ca: string;
}

/**
 * A signed-in desktop core over one data folder, laid out as HelpdeskService keeps it (session
 * file, replica file, refresh token under the account's key), so that a HelpdeskService can later
 * resume it with the same credential store. The engine is never started: each step calls
 * syncNow() itself, so nothing syncs between measurements.
 */
export class BenchClient {
  private constructor(
    readonly dataDir: string,
    readonly api: ServiceClient,
    readonly replica: Replica,
    readonly engine: SyncEngine,
    readonly credentials: MemoryCredentialStore,
    readonly userId: string,
  ) {}

  static async signIn(
    service: ServiceAddress,
    account: Account,
    dataDir: string,
  ): Promise<BenchClient> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const api = new ServiceClient({ serverUrl: service.url, ca: service.ca });
    const login = await api.login(account);
    const stored: StoredSession = {
      serverUrl: api.origin,
      tenant: login.tenant,
      user: login.user,
      caCertificate: service.ca,
      allowInsecureLoopback: false,
    };
    writeSession(dataDir, stored);
    const replica = openReplica(dataDir, {
      serverUrl: api.origin,
      tenantId: login.tenant.id,
      tenantSlug: login.tenant.slug,
      userId: login.user.id,
      role: login.user.role,
    });
    const credentials = new MemoryCredentialStore();
    const tokens = new TokenSession(
      api,
      credentials,
      accountKey(api.origin, login.tenant.slug, login.user.email),
      () => replica.clientId,
    );
    await tokens.adopt(login);
    const engine = new SyncEngine({ replica, api, tokens });
    return new BenchClient(dataDir, api, replica, engine, credentials, login.user.id);
  }

  async close(): Promise<void> {
    await this.engine.close();
    this.api.close();
    this.replica.close();
  }
}
