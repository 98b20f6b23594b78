import type { ClientBase } from 'pg';

/** Each change of a user's communication preferences; log-in retention needs an index on time. */
export async function up(db: ClientBase): Promise<void> {
  await db.query(`
    CREATE TABLE preference_changes (
      tenant_id TEXT COLLATE "C" NOT NULL,
      id BIGINT GENERATED ALWAYS AS IDENTITY,
      user_id TEXT COLLATE "C" NOT NULL,
      field TEXT COLLATE "C" NOT NULL CHECK (field IN ('newsletter', 'productUpdates')),
      old_value BOOLEAN,
      new_value BOOLEAN NOT NULL,
      at TEXT COLLATE "C" NOT NULL,
      source TEXT COLLATE "C" NOT NULL CHECK (source IN ('account_created', 'sync')),
      PRIMARY KEY (tenant_id, id)
    );
    CREATE INDEX preference_changes_by_user ON preference_changes (tenant_id, user_id, at);
    CREATE INDEX login_events_by_time ON login_events (at);
  `);
}
