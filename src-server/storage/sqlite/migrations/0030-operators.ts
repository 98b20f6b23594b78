import type { Database } from 'better-sqlite3';

/**
 * Service staff (operators) live outside every tenant, with their own credentials and log-in
 * record. `support_access` is the audit of every time one of them opened a tenant's records: it
 * is written in the same transaction as the read, so no read happens without its row.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE operators (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL,
      email_key TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      created_at TEXT NOT NULL
    );

    CREATE TABLE operator_logins (
      id TEXT PRIMARY KEY,
      email_key TEXT NOT NULL,
      operator_id TEXT,
      ip TEXT NOT NULL,
      success INTEGER NOT NULL,
      reason TEXT NOT NULL,
      at TEXT NOT NULL
    );
    CREATE INDEX operator_logins_by_email ON operator_logins (email_key, at);
    CREATE INDEX operator_logins_by_ip ON operator_logins (ip, at);

    CREATE TABLE support_access (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      operator_id TEXT NOT NULL,
      operator_email TEXT NOT NULL,
      at TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
      scope TEXT NOT NULL CHECK (scope IN ('ticket_list', 'ticket')),
      ticket_id TEXT,
      CHECK ((scope = 'ticket') = (ticket_id IS NOT NULL))
    );
    CREATE INDEX support_access_by_tenant ON support_access (tenant_id, at);
  `);
}
