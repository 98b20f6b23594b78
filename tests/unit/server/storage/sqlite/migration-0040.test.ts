import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../../src-server/storage/sqlite/migrations';
import { databaseAt, latestDatabase, registration } from './migration-fixtures';

const insertChange = (db: Database, field: string, source: string) =>
  db
    .prepare(
      `INSERT INTO preference_changes (tenant_id, user_id, field, old_value, new_value, at, source)
       VALUES ('t', 'u', ?, NULL, 1, '2026-01-01T00:00:00.000Z', ?)`,
    )
    .run(field, source);

describe('0040-privacy-records', () => {
  it('is registered in version order', () => {
    expect(registration(40)).toEqual({ name: 'privacy-records', ordered: true });
  });

  it('upgrades a version-10 database and keeps its log-in events', () => {
    const db = databaseAt(10);
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
    const db = latestDatabase();
    insertChange(db, 'productUpdates', 'account_created');
    expect(() => insertChange(db, 'email', 'sync')).toThrow(/CHECK/);
    expect(() => insertChange(db, 'newsletter', 'import')).toThrow(/CHECK/);
  });

  it('serves retention and the per-user change log from indexes', () => {
    const db = latestDatabase();
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
