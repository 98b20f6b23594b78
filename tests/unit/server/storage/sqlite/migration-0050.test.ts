import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../../src-server/storage/sqlite/migrations';
import { databaseAt, latestDatabase, registration, tableNames } from './migration-fixtures';

const record = (db: Database, entity: string, id: string, seq: number) =>
  db
    .prepare(
      `INSERT INTO records (tenant_id, entity, id, seq, changed_at, data)
       VALUES ('t', ?, ?, ?, '2026-01-01T00:00:00.000Z', '{}')`,
    )
    .run(entity, id, seq);
const content = (db: Database, tenantId: string, id: string) =>
  db
    .prepare('INSERT INTO attachment_contents (tenant_id, id, data) VALUES (?, ?, ?)')
    .run(tenantId, id, Buffer.from(`bytes of ${id}`));
const tombstone = (db: Database, entity: string, id: string) =>
  db
    .prepare(
      "UPDATE records SET deleted = 1, data = NULL WHERE tenant_id = 't' AND entity = ? AND id = ?",
    )
    .run(entity, id);
const contents = (db: Database) =>
  db.prepare("SELECT tenant_id || ':' || id FROM attachment_contents ORDER BY 1").pluck().all();

describe('0050-attachments', () => {
  it('is registered in version order', () => {
    expect(registration(50)).toEqual({ name: 'attachments', ordered: true });
  });

  it('upgrades a version-40 database and keeps its records', () => {
    const db = databaseAt(40);
    record(db, 'ticket', 'k', 1);
    expect(tableNames(db)).not.toContain('attachment_contents');
    expect(migrate(db)).toBeGreaterThanOrEqual(50);
    expect(db.prepare('SELECT id FROM records').pluck().all()).toEqual(['k']);
    content(db, 't', 'a');
    expect(db.prepare('SELECT data FROM attachment_contents').pluck().get()).toEqual(
      Buffer.from('bytes of a'),
    );
  });

  it('deletes a content when its attachment record is tombstoned, and only then', () => {
    const db = latestDatabase();
    record(db, 'attachment', 'a', 1);
    record(db, 'attachment', 'b', 2);
    record(db, 'comment', 'c', 3);
    for (const id of ['a', 'b', 'c']) content(db, 't', id);
    content(db, 'other', 'a');
    // Another entity with the same id, and a live upsert, leave contents alone.
    tombstone(db, 'comment', 'c');
    db.prepare("UPDATE records SET deleted = 0, data = '{}' WHERE id = 'b'").run();
    expect(contents(db)).toEqual(['other:a', 't:a', 't:b', 't:c']);
    tombstone(db, 'attachment', 'a');
    // Same id in another tenant: kept.
    expect(contents(db)).toEqual(['other:a', 't:b', 't:c']);
  });

  it('finds a content by (tenant_id, id) through its key, without a scan', () => {
    const db = latestDatabase();
    const detail = (
      db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT data FROM attachment_contents WHERE tenant_id = ? AND id = ?',
        )
        .all('t', 'a') as Array<{ detail: string }>
    )
      .map((r) => r.detail)
      .join('\n');
    expect(detail).toMatch(
      /SEARCH attachment_contents USING INDEX sqlite_autoindex_attachment_contents_1/,
    );
  });
});
