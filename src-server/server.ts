import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AdminService } from './app/admin-service';
import { createApp } from './app/create-app';
import { SupportAccessService } from './app/support-access-service';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from './auth/auth-service';
import { PasswordService } from './auth/password-service';
import { loadOrCreateSecret } from './auth/secret';
import { TokenSigner } from './auth/tokens';
import { seedDemo } from './demo/demo-tenants';
import { openStorage } from './storage/open-storage';
import type { Storage } from './storage/storage';
import { SyncService } from './sync/sync-service';
import { ensureDevCertificates } from './tls/dev-certificates';

export interface ServerOptions {
  dataDir: string;
  /** A postgres:// URL: the service's data in PostgreSQL instead of SQLite in `dataDir`. */
  databaseUrl?: string;
  port: number;
  host?: string;
  demo?: boolean;
  /** Plain HTTP, allowed only on a loopback address (development). */
  insecureHttp?: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  logStream?: Writable;
  logLevel?: string;
  authPolicy?: Partial<AuthPolicy>;
  heartbeatMs?: number;
  /** How often retention runs (tombstones and results after 30 days, clients after 180). */
  purgeEveryMs?: number;
  /** Days log-in events are kept before retention deletes them (default 90). */
  loginHistoryDays?: number;
  /** The largest attachment accepted, in bytes (default 10 MiB). */
  attachmentMaxBytes?: number;
  /** The oldest client version served; older ones answer 426 upgrade_required. */
  minClientVersion?: string;
  /** The folder of the desktop app's update feed (`latest*.yml` and installers); none: no feed. */
  updatesDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  caPath: string | null;
  storage: Storage;
  app: FastifyInstance;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
export const DEFAULT_LOGIN_HISTORY_DAYS = 90;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.insecureHttp && !isLoopback(host)) {
    throw new Error('--insecure-http is allowed only on a loopback address');
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.updatesDir !== undefined && !isFolder(options.updatesDir)) {
    throw new Error(`--updates-dir ${options.updatesDir} is not a folder`);
  }
  let tls: { key: string; cert: string } | null = null;
  let caPath: string | null = null;
  if (!options.insecureHttp) {
    if (options.tlsCertFile && options.tlsKeyFile) {
      tls = {
        cert: readFileSync(options.tlsCertFile, 'utf8'),
        key: readFileSync(options.tlsKeyFile, 'utf8'),
      };
    } else {
      const material = await ensureDevCertificates(join(options.dataDir, 'tls'), [
        'localhost',
        '127.0.0.1',
        '::1',
        host,
      ]);
      tls = material;
      caPath = material.caPath;
    }
  }
  let app: FastifyInstance | undefined;
  const storage = await openStorage({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    onError: (err) => app?.log.error({ err }, 'database connection failed'),
  });
  const signer = new TokenSigner(loadOrCreateSecret(join(options.dataDir, 'secret.key')));
  const authPolicy = { ...DEFAULT_AUTH_POLICY, ...options.authPolicy };
  const auth = new AuthService(storage, signer, authPolicy);
  try {
    if (options.demo) await seedDemo(storage);
    const appOptions = {
      tls,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
      ...(options.attachmentMaxBytes ? { attachmentMaxBytes: options.attachmentMaxBytes } : {}),
      ...(options.minClientVersion ? { minClientVersion: options.minClientVersion } : {}),
      ...(options.updatesDir ? { updatesDir: options.updatesDir } : {}),
    };
    const logger = {
      error: (details: object, message: string) => app?.log.error(details, message),
    };
    const sync = new SyncService(storage, logger);
    app = await createApp(
      {
        storage,
        auth,
        sync,
        admin: new AdminService(storage),
        supportAccess: new SupportAccessService(storage, signer, authPolicy),
        passwords: new PasswordService(storage, authPolicy),
      },
      appOptions,
    );
    await app.listen({ port: options.port, host });
  } catch (error) {
    await app?.close();
    await storage.close();
    throw error;
  }
  const loginHistoryDays = options.loginHistoryDays ?? DEFAULT_LOGIN_HISTORY_DAYS;
  const purge = () => {
    const now = Date.now();
    storage
      .purge(new Date(now - 30 * DAY_MS).toISOString(), new Date(now - 180 * DAY_MS).toISOString())
      .then(() => storage.purgeLoginEvents(new Date(now - loginHistoryDays * DAY_MS).toISOString()))
      .catch((err: unknown) => app?.log.error({ err }, 'retention failed'));
  };
  purge();
  const purgeTimer = setInterval(purge, options.purgeEveryMs ?? 3_600_000);
  purgeTimer.unref();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const running = app;
  return {
    url: `${tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    caPath,
    storage,
    app: running,
    async close() {
      clearInterval(purgeTimer);
      await running.close();
      await storage.close();
    },
  };
}
