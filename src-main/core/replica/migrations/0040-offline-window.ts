import type { Database } from 'better-sqlite3';

/**
 * "Keep offline: tickets updated in the last N months" (see ../offline-window.ts).
 * - `fetched_tickets`: tickets outside the window fetched from the service because the agent
 *   opened one; kept a while (`fetched_at`), then let go like the others.
 * - `thread_fetches`: tickets whose comments and attachments the replica may lack (an old ticket
 *   updated again after it was let go, one the window kept for a pending change): fetched whole
 *   from the service after the next pull.
 * The setting and what the replica holds are meta rows (`keepOfflineMonths`, `keptSince`).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE fetched_tickets (
      ticket_id TEXT PRIMARY KEY,
      fetched_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE thread_fetches (
      ticket_id TEXT PRIMARY KEY,
      queued_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
}
