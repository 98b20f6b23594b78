import type { ClientBase } from 'pg';

/**
 * Service staff and their log-ins live outside every tenant (local or reference tables under
 * Citus). `support_access` is tenant data: the audit of each time an operator opened a tenant's
 * records, written in the same transaction as the read. `ord` keeps insertion order for listing.
 */
export async function up(db: ClientBase): Promise<void> {
  await db.query(`
    CREATE TABLE operators (
      id TEXT COLLATE "C" PRIMARY KEY,
      email TEXT COLLATE "C" NOT NULL,
      email_key TEXT COLLATE "C" NOT NULL UNIQUE,
      password_hash TEXT COLLATE "C" NOT NULL,
      active BOOLEAN NOT NULL DEFAULT TRUE,
      created_at TEXT COLLATE "C" NOT NULL
    );

    CREATE TABLE operator_logins (
      id TEXT COLLATE "C" PRIMARY KEY,
      email_key TEXT COLLATE "C" NOT NULL,
      operator_id TEXT COLLATE "C",
      ip TEXT COLLATE "C" NOT NULL,
      success BOOLEAN NOT NULL,
      reason TEXT COLLATE "C" NOT NULL,
      at TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX operator_logins_by_email ON operator_logins (email_key, at);
    CREATE INDEX operator_logins_by_ip ON operator_logins (ip, at);

    CREATE TABLE support_access (
      tenant_id TEXT COLLATE "C" NOT NULL,
      id TEXT COLLATE "C" NOT NULL,
      ord BIGINT GENERATED ALWAYS AS IDENTITY,
      operator_id TEXT COLLATE "C" NOT NULL,
      operator_email TEXT COLLATE "C" NOT NULL,
      at TEXT COLLATE "C" NOT NULL,
      reason TEXT COLLATE "C" NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
      scope TEXT COLLATE "C" NOT NULL CHECK (scope IN ('ticket_list', 'ticket')),
      ticket_id TEXT COLLATE "C",
      CHECK ((scope = 'ticket') = (ticket_id IS NOT NULL)),
      PRIMARY KEY (tenant_id, id)
    );
    CREATE INDEX support_access_by_tenant ON support_access (tenant_id, at);
  `);
}
