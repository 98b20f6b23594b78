import type { ClientBase } from 'pg';

/**
 * The first schema, the shape of SQLite's (see ../../sqlite/migrations/0010-initial.ts): `records`
 * is both the current state of every synced row and the change log. Tenant id leads every key and
 * index of tenant data, so that each table can be distributed by tenant (Citus) with every query
 * of one tenant routed to one shard. `login_events` is service-wide (failed log-ins name tenants
 * that may not exist; rate limits look across tenants by IP): it stays a local table.
 *
 * Sessions and refresh tokens are looked up by their own id (the interface names no tenant), so
 * besides the tenant-led key each has an index on id alone: allowed on a distributed table because
 * it is not unique, at the price of asking every shard.
 *
 * Every text column compares by bytes (COLLATE "C"), as SQLite does: ISO times, ids and email
 * keys order the same whatever the database's locale.
 */
export async function up(db: ClientBase): Promise<void> {
  await db.query(`
    CREATE TABLE tenants (
      id TEXT COLLATE "C" PRIMARY KEY,
      slug TEXT COLLATE "C" NOT NULL UNIQUE,
      epoch TEXT COLLATE "C" NOT NULL,
      last_seq BIGINT NOT NULL DEFAULT 0,
      purged_seq BIGINT NOT NULL DEFAULT 0,
      next_ticket_number BIGINT NOT NULL DEFAULT 1,
      created_at TEXT COLLATE "C" NOT NULL
    );

    CREATE TABLE users (
      tenant_id TEXT COLLATE "C" NOT NULL,
      id TEXT COLLATE "C" NOT NULL,
      email TEXT COLLATE "C" NOT NULL,
      email_key TEXT COLLATE "C" NOT NULL,
      password_hash TEXT COLLATE "C" NOT NULL,
      role TEXT COLLATE "C" NOT NULL CHECK (role IN ('admin', 'agent')),
      active BOOLEAN NOT NULL DEFAULT TRUE,
      visibility_version INTEGER NOT NULL DEFAULT 0,
      created_at TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, email_key)
    );

    CREATE TABLE records (
      tenant_id TEXT COLLATE "C" NOT NULL,
      entity TEXT COLLATE "C" NOT NULL,
      id TEXT COLLATE "C" NOT NULL,
      seq BIGINT NOT NULL,
      deleted BOOLEAN NOT NULL DEFAULT FALSE,
      parent_id TEXT COLLATE "C",
      changed_at TEXT COLLATE "C" NOT NULL,
      data TEXT COLLATE "C",
      PRIMARY KEY (tenant_id, entity, id)
    );
    CREATE UNIQUE INDEX records_by_seq ON records (tenant_id, seq);
    CREATE INDEX records_by_parent ON records (tenant_id, parent_id) WHERE parent_id IS NOT NULL;

    CREATE TABLE sessions (
      tenant_id TEXT COLLATE "C" NOT NULL,
      id TEXT COLLATE "C" NOT NULL,
      user_id TEXT COLLATE "C" NOT NULL,
      device TEXT COLLATE "C",
      created_at TEXT COLLATE "C" NOT NULL,
      revoked_at TEXT COLLATE "C",
      revoked_reason TEXT COLLATE "C",
      PRIMARY KEY (tenant_id, id)
    );
    CREATE INDEX sessions_by_id ON sessions (id);
    CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);

    CREATE TABLE refresh_tokens (
      tenant_id TEXT COLLATE "C" NOT NULL,
      id TEXT COLLATE "C" NOT NULL,
      session_id TEXT COLLATE "C" NOT NULL,
      issued_at TEXT COLLATE "C" NOT NULL,
      expires_at TEXT COLLATE "C" NOT NULL,
      used_at TEXT COLLATE "C",
      used_by_client TEXT COLLATE "C",
      child_id TEXT COLLATE "C",
      PRIMARY KEY (tenant_id, id)
    );
    CREATE INDEX refresh_tokens_by_id ON refresh_tokens (id);
    CREATE INDEX refresh_tokens_by_session ON refresh_tokens (tenant_id, session_id);

    CREATE TABLE login_events (
      id TEXT COLLATE "C" PRIMARY KEY,
      tenant_id TEXT COLLATE "C",
      tenant_slug TEXT COLLATE "C" NOT NULL,
      email_key TEXT COLLATE "C" NOT NULL,
      user_id TEXT COLLATE "C",
      ip TEXT COLLATE "C" NOT NULL,
      user_agent TEXT COLLATE "C",
      client_id TEXT COLLATE "C",
      success BOOLEAN NOT NULL,
      reason TEXT COLLATE "C" NOT NULL,
      at TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX login_events_by_account ON login_events (tenant_slug, email_key, at);
    CREATE INDEX login_events_by_ip ON login_events (ip, at);
    CREATE INDEX login_events_by_user ON login_events (tenant_id, user_id, at);

    CREATE TABLE sync_clients (
      tenant_id TEXT COLLATE "C" NOT NULL,
      client_id TEXT COLLATE "C" NOT NULL,
      user_id TEXT COLLATE "C" NOT NULL,
      last_mutation_id BIGINT NOT NULL DEFAULT 0,
      last_seen_at TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (tenant_id, client_id)
    );

    CREATE TABLE client_mutations (
      tenant_id TEXT COLLATE "C" NOT NULL,
      client_id TEXT COLLATE "C" NOT NULL,
      mutation_id BIGINT NOT NULL,
      hash TEXT COLLATE "C" NOT NULL,
      result TEXT COLLATE "C",
      processed_at TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (tenant_id, client_id, mutation_id)
    );
  `);
}
