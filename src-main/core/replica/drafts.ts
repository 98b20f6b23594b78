import type { Database } from 'better-sqlite3';
import type { Draft, SaveDraftInput } from '../../../src-shared/bridge/triage';

/**
 * Unfinished replies, one per ticket, in the replica: they outlive the ticket view, the window and
 * the app, and go with the replica at sign-out. Local only: a draft is never sent.
 */

export function getDraft(db: Database, ticketId: string): Draft | null {
  const row = db
    .prepare('SELECT body, public, updated_at FROM drafts WHERE ticket_id = ?')
    .get(ticketId) as { body: string; public: number; updated_at: string } | undefined;
  return row ? { body: row.body, public: row.public === 1, updatedAt: row.updated_at } : null;
}

/** Keeps the draft of a ticket; a blank body deletes it (the reply was sent or abandoned). */
export function saveDraft(db: Database, draft: SaveDraftInput, now: string): void {
  if (draft.body.trim() === '') {
    db.prepare('DELETE FROM drafts WHERE ticket_id = ?').run(draft.ticketId);
    return;
  }
  db.prepare(
    `INSERT INTO drafts (ticket_id, body, public, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (ticket_id) DO UPDATE SET body = excluded.body, public = excluded.public,
       updated_at = excluded.updated_at`,
  ).run(draft.ticketId, draft.body, draft.public ? 1 : 0, now);
}
