import type { Database } from 'better-sqlite3';

const META_KEY = 'deferredIndexes';

/**
 * The query indexes of `tickets` and `ticket_tags` (every one but their keys). Kept row by row,
 * they cost an empty replica's first snapshot 43 % of its writing: 28.2 s for the 1.1 million rows
 * of 100,000 tickets, 16.0 s when they are built once at the end (0.8 s of it). base's indexes
 * stay: the projection reads base_by_parent as it writes, and base_by_generation costs nothing to
 * keep.
 */
const DEFERRABLE = `SELECT name, sql FROM sqlite_master
  WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('tickets', 'ticket_tags')`;

/**
 * At the start of a snapshot into a replica with no tickets: drops the query indexes and keeps
 * their definitions in meta, in the caller's transaction. A snapshot of a replica in use, or one
 * whose indexes are already deferred (a snapshot started again), leaves them. Until
 * {@link restoreQueryIndexes}, lists still answer, by scanning.
 */
export function deferQueryIndexes(db: Database): void {
  if (db.prepare('SELECT 1 FROM meta WHERE key = ?').get(META_KEY)) return;
  if (db.prepare('SELECT 1 FROM tickets LIMIT 1').get()) return;
  const indexes = db.prepare(DEFERRABLE).all() as Array<{ name: string; sql: string }>;
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
    META_KEY,
    JSON.stringify(indexes.map((index) => index.sql)),
  );
  for (const index of indexes) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
}

/**
 * Builds the indexes {@link deferQueryIndexes} dropped, in the caller's transaction (the one that
 * ends the snapshot, so that a snapshot never ends without them, even across a crash or restart).
 * A migration that drops, renames or creates one of these indexes must edit the list in meta too:
 * it may run while they are deferred.
 */
export function restoreQueryIndexes(db: Database): void {
  const stored = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(META_KEY) as
    string | undefined;
  if (stored === undefined) return;
  for (const sql of JSON.parse(stored) as string[]) db.exec(sql);
  db.prepare('DELETE FROM meta WHERE key = ?').run(META_KEY);
}
