import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  DatabaseTooNewError,
  MIGRATIONS,
  migrate,
  type Migration,
} from '../../../../../src-server/storage/sqlite/migrations';
import { memoryDb } from './migration-fixtures';

/** The tables of 0010-initial; later migrations add their own (tested in their own files). */
const TABLES = [
  'client_mutations',
  'login_events',
  'records',
  'refresh_tokens',
  'sessions',
  'sync_clients',
  'tenants',
  'users',
];

const LATEST = MIGRATIONS.at(-1)!.version;
const NEWER = LATEST + 10;

const version = (db: Database) => db.pragma('user_version', { simple: true }) as number;
const tables = (db: Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
const schema = (db: Database) =>
  db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();

function plan(db: Database, sql: string, params: Record<string, unknown> | unknown[]): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>;
  return rows.map((r) => r.detail).join('\n');
}

describe('migrate', () => {
  it('brings a fresh database to the latest version with every table', () => {
    const db = memoryDb();
    expect(migrate(db)).toBe(LATEST);
    expect(version(db)).toBe(LATEST);
    expect(tables(db)).toEqual(expect.arrayContaining(TABLES));
    expect(MIGRATIONS[0]!.version).toBe(10);
    for (const m of MIGRATIONS) expect(m.version % 10).toBe(0);
  });

  it('does nothing when run again', () => {
    const db = memoryDb();
    migrate(db);
    db.prepare(
      "INSERT INTO tenants (id, slug, epoch, created_at) VALUES ('t', 'acme', 'e', 'now')",
    ).run();
    const before = schema(db);
    expect(migrate(db)).toBe(LATEST);
    expect(schema(db)).toEqual(before);
    expect(db.prepare('SELECT slug FROM tenants').all()).toEqual([{ slug: 'acme' }]);
  });

  it('refuses a database newer than the service and leaves it alone', () => {
    const db = memoryDb();
    db.exec('CREATE TABLE future (x)');
    db.pragma(`user_version = ${NEWER}`);
    expect(() => migrate(db)).toThrow(DatabaseTooNewError);
    expect(version(db)).toBe(NEWER);
    expect(tables(db)).toEqual(['future']);
  });

  it('throws on a migration list whose versions do not increase, before touching the database', () => {
    const noop = () => undefined;
    const lists: Migration[][] = [
      [
        { version: 20, name: 'b', up: noop },
        { version: 10, name: 'a', up: noop },
      ],
      [
        { version: 10, name: 'a', up: noop },
        { version: 10, name: 'again', up: noop },
      ],
    ];
    for (const list of lists) {
      const db = memoryDb();
      expect(() => migrate(db, list)).toThrow(/not above/);
      expect(version(db)).toBe(0);
    }
  });

  it('rolls a failing migration back: its tables are not created and the version stays', () => {
    const db = memoryDb();
    migrate(db);
    const failing: Migration = {
      version: NEWER,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half_done (x); ALTER TABLE tenants ADD COLUMN plan TEXT;');
        d.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    const before = schema(db);
    expect(() => migrate(db, [...MIGRATIONS, failing])).toThrow(/no_such_table/);
    expect(version(db)).toBe(LATEST);
    expect(tables(db)).not.toContain('half_done');
    expect(schema(db)).toEqual(before);
  });

  it('keeps the migrations that succeeded before a failing one', () => {
    const db = memoryDb();
    const failing: Migration = {
      version: NEWER,
      name: 'broken',
      up: () => {
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, failing])).toThrow('boom');
    expect(version(db)).toBe(LATEST);
    expect(tables(db)).toEqual(expect.arrayContaining(TABLES));
  });
});

describe('0010-initial', () => {
  function migrated(): Database {
    const db = memoryDb();
    migrate(db);
    return db;
  }

  it('keeps users unique per tenant by email key, and roles to admin or agent', () => {
    const db = migrated();
    const insert = db.prepare(
      `INSERT INTO users (tenant_id, id, email, email_key, password_hash, role, created_at)
       VALUES (?, ?, ?, ?, 'h', ?, 'now')`,
    );
    insert.run('t1', 'u1', 'A@x.test', 'a@x.test', 'admin');
    insert.run('t2', 'u1', 'a@x.test', 'a@x.test', 'agent');
    expect(() => insert.run('t1', 'u2', 'a@x.test', 'a@x.test', 'agent')).toThrow(/UNIQUE/);
    expect(() => insert.run('t1', 'u3', 'b@x.test', 'b@x.test', 'owner')).toThrow(/CHECK/);
  });

  it('keys records by tenant, entity and id, and seqs unique per tenant', () => {
    const db = migrated();
    const insert = db.prepare(
      "INSERT INTO records (tenant_id, entity, id, seq, changed_at, data) VALUES (?, ?, ?, ?, 'now', '{}')",
    );
    insert.run('t1', 'ticket', 'x', 1);
    insert.run('t2', 'ticket', 'x', 1);
    insert.run('t1', 'contact', 'x', 2);
    expect(() => insert.run('t1', 'ticket', 'x', 3)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('t1', 'comment', 'y', 1)).toThrow(/UNIQUE/);
  });

  it('serves the pull query from records_by_seq, with no sort step', () => {
    const db = migrated();
    const sql = `SELECT seq, entity, id, deleted, data FROM records
      WHERE tenant_id = @tenantId AND seq > @after
        AND (entity NOT IN ('profile', 'preferences') OR id = @userId)
        AND NOT (deleted = 1 AND seq <= @snapshot)
      ORDER BY seq LIMIT @limit`;
    const detail = plan(db, sql, { tenantId: 't', after: 0, userId: 'u', snapshot: 0, limit: 500 });
    expect(detail).toMatch(/USING INDEX records_by_seq \(tenant_id=\? AND seq>\?\)/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
    expect(detail).not.toMatch(/SCAN/);
  });

  it('looks a record up by (tenant_id, entity, id) through the primary key', () => {
    const db = migrated();
    const detail = plan(
      db,
      'SELECT data FROM records WHERE tenant_id = ? AND entity = ? AND id = ? AND deleted = 0',
      ['t', 'ticket', 'x'],
    );
    expect(detail).toMatch(
      /SEARCH records USING PRIMARY KEY \(tenant_id=\? AND entity=\? AND id=\?\)/,
    );
  });

  it('finds the comments of a ticket through records_by_parent', () => {
    const db = migrated();
    const detail = plan(
      db,
      'SELECT id FROM records WHERE tenant_id = ? AND parent_id = ? AND entity = ? AND deleted = 0',
      ['t', 'p', 'comment'],
    );
    expect(detail).toMatch(/records_by_parent|PRIMARY KEY/);
    expect(detail).not.toMatch(/^SCAN/m);
  });
});
