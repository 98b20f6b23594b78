import type { Database } from 'better-sqlite3';

/**
 * The first schema. `records` is both the current state of every synced row and the change log:
 * one row per (tenant, entity, id) holding its newest state and the seq of its last change, so a
 * pull is one range scan and a row changed many times appears once. Tenant id leads every key.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE tenants (
      id TEXT PRIMARY KEY,
      slug TEXT NOT NULL UNIQUE,
      epoch TEXT NOT NULL,
      last_seq INTEGER NOT NULL DEFAULT 0,
      purged_seq INTEGER NOT NULL DEFAULT 0,
      next_ticket_number INTEGER NOT NULL DEFAULT 1,
      created_at TEXT NOT NULL
    );

    CREATE TABLE users (
      tenant_id TEXT NOT NULL,
      id TEXT NOT NULL,
      email TEXT NOT NULL,
      email_key TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
      active INTEGER NOT NULL DEFAULT 1,
      visibility_version INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, email_key)
    );

    CREATE TABLE records (
      tenant_id TEXT NOT NULL,
      entity TEXT NOT NULL,
      id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      deleted INTEGER NOT NULL DEFAULT 0,
      parent_id TEXT,
      changed_at TEXT NOT NULL,
      data TEXT,
      PRIMARY KEY (tenant_id, entity, id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX records_by_seq ON records (tenant_id, seq);
    CREATE INDEX records_by_parent ON records (tenant_id, parent_id) WHERE parent_id IS NOT NULL;

    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      device TEXT,
      created_at TEXT NOT NULL,
      revoked_at TEXT,
      revoked_reason TEXT
    );
    CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);

    CREATE TABLE refresh_tokens (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL,
      issued_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT,
      used_by_client TEXT,
      child_id TEXT
    );
    CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

    CREATE TABLE login_events (
      id TEXT PRIMARY KEY,
      tenant_id TEXT,
      tenant_slug TEXT NOT NULL,
      email_key TEXT NOT NULL,
      user_id TEXT,
      ip TEXT NOT NULL,
      user_agent TEXT,
      client_id TEXT,
      success INTEGER NOT NULL,
      reason TEXT NOT NULL,
      at TEXT NOT NULL
    );
    CREATE INDEX login_events_by_account ON login_events (tenant_slug, email_key, at);
    CREATE INDEX login_events_by_ip ON login_events (ip, at);
    CREATE INDEX login_events_by_user ON login_events (tenant_id, user_id, at);

    CREATE TABLE sync_clients (
      tenant_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      last_mutation_id INTEGER NOT NULL DEFAULT 0,
      last_seen_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, client_id)
    );

    CREATE TABLE client_mutations (
      tenant_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      mutation_id INTEGER NOT NULL,
      hash TEXT NOT NULL,
      result TEXT,
      processed_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, client_id, mutation_id)
    ) WITHOUT ROWID;
  `);
}
