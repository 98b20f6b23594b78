import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../../src-server/storage/open-storage';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { testDatabaseFor, testPostgresUrl, type TestDatabase } from '../../support/test-database';

/** `npm run seed:demo` into either storage, chosen as the service chooses it. */
const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');

let cluster: PgCluster | null = null;
let database: TestDatabase;
const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-seed-'));

beforeAll(async () => {
  const clusterUrl = testPostgresUrl() ?? (cluster = await startPgCluster()).url;
  database = await testDatabaseFor(clusterUrl, `seed-demo-${randomUUID()}`);
});
afterAll(async () => {
  await database?.drop();
  cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function seed(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env, ...env };
  if (!env['HELPDESK_DATABASE_URL']) delete clean['HELPDESK_DATABASE_URL'];
  return run(tsx, ['src-server/cli/seed-demo.ts', ...args], { cwd: root, env: clean });
}

/** Tickets of the tenant `slug` in the storage, and its agents. */
async function seeded(databaseUrl: string | undefined, slug: string) {
  const storage = await openStorage({ dataDir, databaseUrl });
  try {
    const tenant = (await storage.getTenantBySlug(slug))!;
    const { byStatus } = await storage.ticketStats(tenant.id, '1970-01-01');
    const agent = await storage.findUserByEmail(tenant.id, `agent3@${slug}.test`);
    return { tickets: byStatus.reduce((sum, row) => sum + row.tickets, 0), agent: agent?.role };
  } finally {
    await storage.close();
  }
}

describe('npm run seed:demo', () => {
  it('fills PostgreSQL with --database, no data folder needed', async () => {
    await seed(['--database', database.url, '--tickets', '40', '--agents', '3', '--tenant', 'pg']);
    expect(await seeded(database.url, 'pg')).toEqual({ tickets: 40, agent: 'agent' });
  });

  it('takes the URL from HELPDESK_DATABASE_URL, as the service does', async () => {
    await seed(['--tickets', '25', '--agents', '3', '--tenant', 'env'], {
      HELPDESK_DATABASE_URL: database.url,
    });
    expect(await seeded(database.url, 'env')).toEqual({ tickets: 25, agent: 'agent' });
  });

  it('fills the SQLite file of --data-dir without a URL', async () => {
    await seed(['--data-dir', dataDir, '--tickets', '30', '--agents', '3', '--tenant', 'lite']);
    expect(await seeded(undefined, 'lite')).toEqual({ tickets: 30, agent: 'agent' });
  });

  it('refuses to run with neither, and a URL that is not PostgreSQL', async () => {
    const failure = (args: string[]) =>
      seed(args).then(
        () => null,
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    expect(await failure(['--tickets', '5'])).toEqual({
      code: 2,
      stderr: expect.stringContaining('--database postgres://'),
    });
    expect(await failure(['--database', 'mysql://db/helpdesk', '--tickets', '5'])).toEqual({
      code: 1,
      stderr: expect.stringContaining('--database takes a postgres:// URL'),
    });
  });
});
