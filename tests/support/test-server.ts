import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startServer, type RunningServer, type ServerOptions } from '../../src-server/server';
import { ApiClient } from './api-client';

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  /** Every log line the service wrote, for checks that secrets never reach logs. */
  logs: string[];
  /** A client that trusts the service's development CA and nothing else. */
  api: ApiClient;
  ca: string;
  close(): Promise<void>;
}

/**
 * The real service over HTTPS on 127.0.0.1 with its own data folder and development CA, the way
 * `npm run server` runs it. Close it in afterAll/afterEach.
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
  const server = await startServer({ port: 0, dataDir, logStream, logLevel: 'debug', ...options });
  const ca = server.caPath ? readFileSync(server.caPath, 'utf8') : '';
  return {
    server,
    dataDir,
    logs,
    ca,
    api: new ApiClient(server.url, ca),
    async close() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
