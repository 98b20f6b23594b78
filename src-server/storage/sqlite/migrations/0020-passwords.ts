import type { Database } from 'better-sqlite3';

/**
 * Passwords set by their owner: a user an admin invited or reset must set a password before
 * logging in, with a one-time setup token. Only the token's SHA-256 is stored, one per user (a new
 * reset replaces the old token).
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE users ADD COLUMN must_set_password INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE password_setup_tokens (
      tenant_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      token_hash TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, user_id)
    ) WITHOUT ROWID;
  `);
}
