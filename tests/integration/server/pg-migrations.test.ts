import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseTooNewError } from '../../../src-shared/storage/migrations';
import { PG_MIGRATIONS } from '../../../src-server/storage/postgres/migrations';
import { openPostgresStorage } from '../../../src-server/storage/postgres/pg-storage';
import { TICKET_BY_NUMBER } from '../../../src-server/storage/postgres/pg-ticket-reads';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { testDatabaseFor, testPostgresUrl, type TestDatabase } from '../../support/test-database';

/** The PostgreSQL schema: brought up once however many service processes start together. */
describe('PostgreSQL migrations', () => {
  let cluster: PgCluster | null = null;
  let database: TestDatabase;

  beforeAll(async () => {
    const clusterUrl = testPostgresUrl() ?? (cluster = await startPgCluster()).url;
    database = await testDatabaseFor(clusterUrl, `migrations-${randomUUID()}`);
  });

  afterAll(async () => {
    await database?.drop();
    cluster?.stop();
  });

  async function sql<R extends object>(text: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  }

  it('migrates a new database once when several processes open it at the same time', async () => {
    const storages = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresStorage(database.url)),
    );
    await Promise.all(storages.map((s) => s.close()));
    expect(await sql('SELECT version FROM schema_version')).toEqual([
      { version: PG_MIGRATIONS.at(-1)!.version },
    ]);
    // Tenant id leads every primary key of tenant data.
    const keys = await sql<{ table: string; first: string }>(
      `SELECT c.conrelid::regclass::text AS "table", a.attname AS first
       FROM pg_constraint c JOIN pg_attribute a
         ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace
       ORDER BY 1`,
    );
    const serviceWide = ['login_events', 'operator_logins', 'operators', 'tenants'];
    for (const { table, first } of keys) {
      expect([table, first]).toEqual([table, serviceWide.includes(table) ? 'id' : 'tenant_id']);
    }
    expect(keys.length).toBe(14);
  });

  it('refuses a database newer than the program', async () => {
    await sql('UPDATE schema_version SET version = version + 10');
    await expect(openPostgresStorage(database.url)).rejects.toBeInstanceOf(DatabaseTooNewError);
  });

  it('looks a ticket up by number through its index (0060), not a scan of the tenant', async () => {
    // The schema the first test brought up (a later one marks the database as newer).
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // The tables are empty: only with scans off does the plan show which index can serve it.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${TICKET_BY_NUMBER.replace('$1', "'t'").replace('$2', "'7'")}`,
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/records_ticket_number/);
    } finally {
      await client.end();
    }
  });
});
