import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLICA_MIGRATIONS, migrateReplica } from '../../../../src-main/core/replica/migrations';

/**
 * 0060-base-by-rowid: base's rows move into a rowid table with a unique index on (entity, id),
 * unchanged, with base's other indexes as they were.
 */

const dirs: string[] = [];
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function replicaAt(version: number): Database {
  const dir = mkdtempSync(join(tmpdir(), 'replica-0060-'));
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir, 'replica.sqlite'));
  open.push(db);
  migrateReplica(
    db,
    REPLICA_MIGRATIONS.filter((m) => m.version <= version),
  );
  return db;
}

const ROWS = [
  ['ticket', 't1', '{"subject":"Printer"}', null, 3],
  ['comment', 'c1', '{"body":"Jammed"}', 't1', 3],
  ['comment', 'c2', '{"body":"Still jammed"}', 't1', 2],
  ['contact', 'p1', '{"name":"Grace"}', null, 1],
  ['ticket', 't2', '{"subject":"VPN"}', null, 3],
] as const;

const rows = (db: Database) =>
  db
    .prepare('SELECT entity, id, data, parent_id, generation FROM base ORDER BY entity, id')
    .raw()
    .all();
const schema = (db: Database) =>
  db
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'base' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name",
    )
    .all();

describe('0060-base-by-rowid', () => {
  it('is registered after 0050', () => {
    const versions = REPLICA_MIGRATIONS.map((m) => m.version);
    expect(REPLICA_MIGRATIONS.find((m) => m.version === 60)?.name).toBe('base-by-rowid');
    expect(versions.indexOf(60)).toBe(versions.indexOf(50) + 1);
  });

  it('keeps every row and the other indexes of base, and adds the key', () => {
    const db = replicaAt(50);
    const insert = db.prepare(
      'INSERT INTO base (entity, id, data, parent_id, generation) VALUES (?, ?, ?, ?, ?)',
    );
    for (const row of ROWS) insert.run(...row);
    const before = rows(db);
    const indexes = schema(db).filter((o) => (o as { type: string }).type === 'index');
    expect(() => db.prepare('SELECT rowid FROM base').all()).toThrow(/no such column/);

    migrateReplica(db);
    expect(rows(db)).toEqual(before);
    expect(db.prepare('SELECT count(DISTINCT rowid) FROM base').pluck().get()).toBe(ROWS.length);
    const after = schema(db);
    for (const index of indexes) expect(after).toContainEqual(index);
    expect(after).toContainEqual({
      type: 'index',
      name: 'base_key',
      sql: 'CREATE UNIQUE INDEX base_key ON base (entity, id)',
    });
    // A fresh replica has the same base.
    expect(schema(replicaAt(60))).toEqual(after);
  });

  it('refuses a second row with the same key, and an upsert on the key replaces the row', () => {
    const db = replicaAt(60);
    const insert = db.prepare(
      'INSERT INTO base (entity, id, data, parent_id, generation) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run(...ROWS[0]);
    expect(() => insert.run(...ROWS[0])).toThrow(/UNIQUE constraint failed: base.entity, base.id/);
    insert.run('comment', 't1', '{}', 't1', 1); // the same id in another entity is another row
    db.prepare(
      `INSERT INTO base (entity, id, data, parent_id, generation) VALUES ('ticket', 't1', '{"subject":"Printer!"}', NULL, 4)
       ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data, generation = excluded.generation`,
    ).run();
    expect(rows(db)).toEqual([
      ['comment', 't1', '{}', 't1', 1],
      ['ticket', 't1', '{"subject":"Printer!"}', null, 4],
    ]);
  });
});
