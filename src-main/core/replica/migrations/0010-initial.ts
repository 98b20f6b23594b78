import type { Database } from 'better-sqlite3';

/**
 * The first replica schema.
 * - `base`: what the service last said, one row per (entity, id), as JSON. No foreign keys: pages
 *   arrive in no referential order. `generation` marks the rows a snapshot (pull from 0) delivered.
 * - `outbox`: local mutations not yet confirmed, in client mutation id order, with the server's
 *   result once known.
 * - `overlay`: the effect of those mutations on top of `base` (data NULL: deleted locally).
 *   What callers read is overlay if present, else base.
 * - `tickets`, `ticket_tags`, `ticket_fts`: a query projection of the effective tickets.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE base (
      entity TEXT NOT NULL,
      id TEXT NOT NULL,
      data TEXT NOT NULL,
      parent_id TEXT,
      generation INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (entity, id)
    ) WITHOUT ROWID;
    CREATE INDEX base_by_parent ON base (parent_id, entity) WHERE parent_id IS NOT NULL;
    -- The end of a snapshot finds the rows it did not deliver without scanning the table.
    CREATE INDEX base_by_generation ON base (generation);

    CREATE TABLE overlay (
      entity TEXT NOT NULL,
      id TEXT NOT NULL,
      data TEXT,
      parent_id TEXT,
      PRIMARY KEY (entity, id)
    ) WITHOUT ROWID;
    CREATE INDEX overlay_by_parent ON overlay (parent_id, entity) WHERE parent_id IS NOT NULL;

    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      args TEXT NOT NULL,
      base TEXT,
      created_at TEXT NOT NULL,
      sent_at TEXT,
      result TEXT,
      inverse TEXT,
      undone INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE needs_attention (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      mutation_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      args TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('conflict', 'rejected')),
      details TEXT NOT NULL,
      entity TEXT,
      entity_id TEXT,
      created_at TEXT NOT NULL,
      resolved_at TEXT,
      resolution TEXT
    );
    CREATE INDEX needs_attention_open ON needs_attention (entity, entity_id) WHERE resolved_at IS NULL;

    CREATE TABLE tickets (
      rowid INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      number INTEGER,
      subject TEXT NOT NULL,
      status TEXT NOT NULL,
      priority TEXT NOT NULL,
      priority_rank INTEGER NOT NULL,
      type TEXT,
      requester_id TEXT NOT NULL,
      assignee_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      pending INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tickets_by_updated ON tickets (updated_at);
    CREATE INDEX tickets_by_created ON tickets (created_at);
    CREATE INDEX tickets_by_status ON tickets (status, updated_at);
    CREATE INDEX tickets_by_priority ON tickets (priority_rank, updated_at);
    CREATE INDEX tickets_by_assignee ON tickets (assignee_id, updated_at);
    CREATE INDEX tickets_by_assignee_status ON tickets (assignee_id, status, updated_at);
    CREATE INDEX tickets_by_requester ON tickets (requester_id, updated_at);
    CREATE INDEX tickets_by_number ON tickets (number);

    CREATE TABLE ticket_tags (
      tag TEXT NOT NULL,
      ticket_rowid INTEGER NOT NULL,
      PRIMARY KEY (tag, ticket_rowid)
    ) WITHOUT ROWID;
    CREATE INDEX ticket_tags_by_ticket ON ticket_tags (ticket_rowid);

    -- Contentless: nothing reads the indexed text back, and a second copy of every comment
    -- would double the replica at a million comments.
    CREATE VIRTUAL TABLE ticket_fts USING fts5(
      subject, description, comments, requester,
      content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2'
    );
  `);
}
