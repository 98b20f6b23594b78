import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../../../src-server/storage/sqlite/migrations';

const open: Database[] = [];
function memoryDb(): Database {
  const db = new BetterSqlite3(':memory:');
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const insertChange = (db: Database, field: string, source: string) =>
  db
    .prepare(
      `INSERT INTO preference_changes (tenant_id, user_id, field, old_value, new_value, at, source)
       VALUES ('t', 'u', ?, NULL, 1, '2026-01-01T00:00:00.000Z', ?)`,
    )
    .run(field, source);

describe('0040-privacy-records', () => {
  it('is registered after the initial schema', () => {
    expect(MIGRATIONS.map((m) => m.version)).toContain(40);
    expect(MIGRATIONS.find((m) => m.version === 40)!.name).toBe('privacy-records');
  });

  it('upgrades a version-10 database and keeps its log-in events', () => {
    const db = memoryDb();
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 10),
    );
    db.prepare(
      `INSERT INTO login_events (id, tenant_slug, email_key, ip, success, reason, at)
       VALUES ('e1', 'acme', 'a@acme.test', '127.0.0.1', 1, 'ok', '2026-01-01T00:00:00.000Z')`,
    ).run();
    expect(migrate(db)).toBeGreaterThanOrEqual(40);
    expect(db.prepare('SELECT id FROM login_events').pluck().all()).toEqual(['e1']);
    insertChange(db, 'newsletter', 'sync');
    expect(db.prepare('SELECT count(*) FROM preference_changes').pluck().get()).toBe(1);
  });

  it('accepts only the known preference fields and sources', () => {
    const db = memoryDb();
    migrate(db);
    insertChange(db, 'productUpdates', 'account_created');
    expect(() => insertChange(db, 'email', 'sync')).toThrow(/CHECK/);
    expect(() => insertChange(db, 'newsletter', 'import')).toThrow(/CHECK/);
  });

  it('serves retention and the per-user change log from indexes', () => {
    const db = memoryDb();
    migrate(db);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('\n');
    expect(plan('DELETE FROM login_events WHERE at < ?')).toMatch(/login_events_by_time/);
    expect(
      plan("SELECT * FROM preference_changes WHERE tenant_id = ? AND user_id = 'u' ORDER BY at"),
    ).toMatch(/preference_changes_by_user/);
  });
});
