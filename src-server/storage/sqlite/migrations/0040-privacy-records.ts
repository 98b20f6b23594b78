import type { Database } from 'better-sqlite3';

/**
 * Each change of a user's communication preferences, with its time and where it came from, so the
 * service can show when someone opted in or out. Log-in retention needs an index on time alone.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE preference_changes (
      id INTEGER PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      field TEXT NOT NULL CHECK (field IN ('newsletter', 'productUpdates')),
      old_value INTEGER,
      new_value INTEGER NOT NULL,
      at TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('account_created', 'sync'))
    );
    CREATE INDEX preference_changes_by_user ON preference_changes (tenant_id, user_id, at);
    CREATE INDEX login_events_by_time ON login_events (at);
  `);
}
