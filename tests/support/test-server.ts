import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DATABASE_URL_ENV } from '../../src-server/cli/open-data-dir';
import { startServer, type RunningServer, type ServerOptions } from '../../src-server/server';
import { ApiClient } from './api-client';
import { testDatabaseFor, testPostgresUrl } from './test-database';

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  /** Every log line the service wrote, for checks that secrets never reach logs. */
  logs: string[];
  /** A client that trusts the service's development CA and nothing else. */
  api: ApiClient;
  ca: string;
  /** The service's PostgreSQL database, or null on SQLite (`helpdesk.sqlite` in `dataDir`). */
  databaseUrl: string | null;
  /** The environment that points the service's command-line tools at its database. */
  cliEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real service over HTTPS on 127.0.0.1 with its own data folder and development CA, the way
 * `npm run server` runs it; on PostgreSQL with a database of its own when the environment asks
 * (tests/support/test-database.ts). Close it in afterAll/afterEach.
 */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'helpdesk-server-'));
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const clusterUrl = options.databaseUrl ? null : testPostgresUrl();
  const database = clusterUrl ? await testDatabaseFor(clusterUrl, dataDir) : null;
  const server = await startServer({
    port: 0,
    dataDir,
    logStream,
    logLevel: 'debug',
    ...(database ? { databaseUrl: database.url } : {}),
    ...options,
  });
  const ca = server.caPath ? readFileSync(server.caPath, 'utf8') : '';
  return {
    server,
    dataDir,
    logs,
    ca,
    api: new ApiClient(server.url, ca),
    databaseUrl: database?.url ?? options.databaseUrl ?? null,
    cliEnv: database ? { [DATABASE_URL_ENV]: database.url } : {},
    async close() {
      await server.close();
      if (!options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      }
    },
  };
}
