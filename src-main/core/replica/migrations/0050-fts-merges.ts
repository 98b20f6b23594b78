import type { Database } from 'better-sqlite3';
import { setFullTextMerging } from '../fts-merges';

/**
 * Full-text merges out of the commits (see fts-merges.ts): a replica in the middle of a snapshot
 * keeps merging as it writes until the snapshot ends; any other stops merging inside commits.
 */
export function up(db: Database): void {
  const snapshot = db.prepare("SELECT value FROM meta WHERE key = 'snapshot'").pluck().get();
  setFullTextMerging(db, snapshot === '1' ? 'bulk' : 'between-tasks');
}
