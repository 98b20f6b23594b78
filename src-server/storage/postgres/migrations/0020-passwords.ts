import type { ClientBase } from 'pg';

/** Passwords set by their owner, with a one-time setup token (its SHA-256 only), as in SQLite. */
export async function up(db: ClientBase): Promise<void> {
  await db.query(`
    ALTER TABLE users ADD COLUMN must_set_password BOOLEAN NOT NULL DEFAULT FALSE;

    CREATE TABLE password_setup_tokens (
      tenant_id TEXT COLLATE "C" NOT NULL,
      user_id TEXT COLLATE "C" NOT NULL,
      token_hash TEXT COLLATE "C" NOT NULL,
      created_at TEXT COLLATE "C" NOT NULL,
      expires_at TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (tenant_id, user_id)
    );
  `);
}
