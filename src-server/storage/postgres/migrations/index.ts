import type { ClientBase, Pool } from 'pg';
import { DatabaseTooNewError } from '../../../../src-shared/storage/migrations';
import { schemaMigrations } from '../../schema-versions';
import * as m0010 from './0010-initial';
import * as m0020 from './0020-passwords';
import * as m0030 from './0030-operators';
import * as m0040 from './0040-privacy-records';
import * as m0050 from './0050-attachments';
import * as m0060 from './0060-ticket-numbers';

export interface PgMigration {
  version: number;
  name: string;
  up(db: ClientBase): Promise<void>;
}

/** The service's schema versions (../../schema-versions.ts) on PostgreSQL: one file per version. */
export const PG_MIGRATIONS: readonly PgMigration[] = schemaMigrations([
  m0010,
  m0020,
  m0030,
  m0040,
  m0050,
  m0060,
]);

/** Any fixed key: the advisory lock that makes service processes starting together migrate once. */
const MIGRATION_LOCK = 7_310_010;

/**
 * Brings the database to the newest version, each migration in its own transaction with its
 * version row, under an advisory lock (several service processes may start at once). Refuses a
 * database newer than the code.
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<number> {
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous && m.version <= previous.version) {
      throw new Error(`migration ${m.version} is not above ${previous.version}`);
    }
  });
  const newest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  const current = async () =>
    (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows[0]
      ?.version ?? 0;
  const locked = async (fn: () => Promise<void>) => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      await fn();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  try {
    await locked(async () => {
      const version = await current();
      if (version > newest) {
        throw new DatabaseTooNewError(
          `database is at version ${version}, newer than this program (${newest}); upgrade the program`,
        );
      }
    });
    for (const m of migrations) {
      await locked(async () => {
        if ((await current()) >= m.version) return;
        await m.up(client);
        await client.query('DELETE FROM schema_version');
        await client.query('INSERT INTO schema_version (version) VALUES ($1)', [m.version]);
      });
    }
    return await current();
  } finally {
    client.release();
  }
}
