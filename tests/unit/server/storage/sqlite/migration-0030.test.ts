import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../../src-server/storage/sqlite/migrations';
import { databaseAt, latestDatabase, registration, tableNames } from './migration-fixtures';

const insertAccess = (
  db: Database,
  id: string,
  scope: string,
  ticketId: string | null,
  reason = 'Customer asked for help',
) =>
  db
    .prepare(
      `INSERT INTO support_access (id, tenant_id, operator_id, operator_email, at, reason, scope, ticket_id)
       VALUES (?, 't', 'o', 'ops@service.test', '2026-01-01T00:00:00.000Z', ?, ?, ?)`,
    )
    .run(id, reason, scope, ticketId);

describe('0030-operators', () => {
  it('is registered in version order', () => {
    expect(registration(30)).toEqual({ name: 'operators', ordered: true });
  });

  it('upgrades a version-10 database, keeping its tenants, and adds the operator tables', () => {
    const db = databaseAt(10);
    db.prepare(
      "INSERT INTO tenants (id, slug, epoch, created_at) VALUES ('t', 'acme', 'e', 'now')",
    ).run();
    expect(migrate(db)).toBeGreaterThanOrEqual(30);
    expect(db.prepare('SELECT slug FROM tenants').pluck().all()).toEqual(['acme']);
    const tables = tableNames(db);
    expect(tables).toEqual(
      expect.arrayContaining(['operators', 'operator_logins', 'support_access']),
    );
  });

  it('keeps operator emails unique whatever their case', () => {
    const db = latestDatabase();
    const insert = db.prepare(
      `INSERT INTO operators (id, email, email_key, password_hash, created_at)
       VALUES (?, ?, ?, 'scrypt$h', 'now')`,
    );
    insert.run('o1', 'Ops@service.test', 'ops@service.test');
    expect(() => insert.run('o2', 'ops@service.test', 'ops@service.test')).toThrow(/UNIQUE/);
  });

  it('refuses an audit row without a reason of 10 to 500 characters or with a mismatched scope', () => {
    const db = latestDatabase();
    insertAccess(db, 'a1', 'ticket_list', null);
    insertAccess(db, 'a2', 'ticket', 'x');
    expect(() => insertAccess(db, 'a3', 'ticket_list', null, 'short')).toThrow(/CHECK/);
    expect(() => insertAccess(db, 'a4', 'ticket_list', null, 'x'.repeat(501))).toThrow(/CHECK/);
    expect(() => insertAccess(db, 'a5', 'ticket', null)).toThrow(/CHECK/);
    expect(() => insertAccess(db, 'a6', 'ticket_list', 'x')).toThrow(/CHECK/);
    expect(() => insertAccess(db, 'a7', 'everything', null)).toThrow(/CHECK/);
    expect(db.prepare('SELECT id FROM support_access ORDER BY id').pluck().all()).toEqual([
      'a1',
      'a2',
    ]);
  });

  it('serves the audit list and the log-in limits from indexes', () => {
    const db = latestDatabase();
    const plan = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('\n');
    expect(
      plan('SELECT * FROM support_access WHERE tenant_id = ? ORDER BY at DESC LIMIT 10', 't'),
    ).toMatch(/support_access_by_tenant/);
    expect(
      plan('SELECT count(*) FROM operator_logins WHERE email_key = ? AND at > ?', 'e', 'now'),
    ).toMatch(/operator_logins_by_email/);
    expect(
      plan('SELECT count(*) FROM operator_logins WHERE ip = ? AND at > ?', 'i', 'now'),
    ).toMatch(/operator_logins_by_ip/);
  });
});
