import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Which storage the test service runs on: SQLite (the default) or, with
 * HELPDESK_TEST_STORAGE=postgres, the PostgreSQL cluster at HELPDESK_TEST_PG_URL (a superuser URL;
 * vitest.pg.config.ts starts a throwaway cluster and sets both).
 */
export function testPostgresUrl(): string | null {
  if (process.env['HELPDESK_TEST_STORAGE'] !== 'postgres') return null;
  const url = process.env['HELPDESK_TEST_PG_URL'];
  if (!url) throw new Error('HELPDESK_TEST_STORAGE=postgres needs HELPDESK_TEST_PG_URL');
  return url;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(clusterUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test service, named after its data folder: a service restarted
 * on the same folder finds its data again, as it would in its SQLite file.
 */
export async function testDatabaseFor(clusterUrl: string, dataDir: string): Promise<TestDatabase> {
  const name = `helpdesk_${createHash('sha256').update(dataDir).digest('hex').slice(0, 24)}`;
  await withAdmin(clusterUrl, async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(clusterUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
