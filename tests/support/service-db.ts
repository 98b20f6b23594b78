import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from './test-server';

/**
 * Direct SQL on a test service's own database, SQLite or PostgreSQL alike, for what no endpoint
 * shows. Write SQL both accept: `?` placeholders, `NOT deleted` rather than `deleted = 0`.
 */
export async function serviceSql<R extends object>(
  t: TestServer,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  if (t.databaseUrl) {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      let n = 0;
      return (
        await client.query<R>(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    } finally {
      await client.end();
    }
  }
  const db = new BetterSqlite3(join(t.dataDir, 'helpdesk.sqlite'));
  try {
    const statement = db.prepare(sql);
    return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as R[];
  } finally {
    db.close();
  }
}
