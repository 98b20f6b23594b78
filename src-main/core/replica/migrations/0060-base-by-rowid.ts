import type { Database } from 'better-sqlite3';

/**
 * `base` becomes a rowid table with a unique index on (entity, id), instead of a table clustered on
 * that key (WITHOUT ROWID). Ids are random UUIDs, so clustered, every synced row went into a random
 * page of a table holding all the data: a 2,000-row page of an initial sync dirtied about as many
 * pages of base, each written to the WAL and again at the checkpoint. Now the data is appended in
 * arrival order and only the key's small index is written at random. A raw insert of the same
 * 1.1 million rows (100,000 tickets) took 15.4 and 17.2 s clustered, 11.1 and 11.6 s this way.
 * A lookup by key reads the index, then the row by rowid.
 *
 * SQLite cannot change a table's key in place: the rows are copied into a new table, which takes
 * base's name, and base's other indexes are made again from their own definitions. One pass over
 * the table, at the upgrade only (8 s for the 1.1 million rows of 100,000 tickets).
 */
export function up(db: Database): void {
  const indexes = db
    .prepare(
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'base' AND sql IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  db.exec(`
    CREATE TABLE base_by_rowid (
      entity TEXT NOT NULL,
      id TEXT NOT NULL,
      data TEXT NOT NULL,
      parent_id TEXT,
      generation INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO base_by_rowid (entity, id, data, parent_id, generation)
      SELECT entity, id, data, parent_id, generation FROM base;
    DROP TABLE base;
    ALTER TABLE base_by_rowid RENAME TO base;
    CREATE UNIQUE INDEX base_key ON base (entity, id);
  `);
  for (const sql of indexes) db.exec(sql);
}
