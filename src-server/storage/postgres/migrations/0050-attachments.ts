import type { ClientBase } from 'pg';

/**
 * Attachment contents beside their metadata (an `attachment` row of `records`), in their own table
 * so that pulls never read them. The trigger deletes a content when its metadata row becomes a
 * tombstone, whatever tombstoned it, as SQLite's does.
 */
export async function up(db: ClientBase): Promise<void> {
  await db.query(`
    CREATE TABLE attachment_contents (
      tenant_id TEXT COLLATE "C" NOT NULL,
      id TEXT COLLATE "C" NOT NULL,
      data BYTEA NOT NULL,
      PRIMARY KEY (tenant_id, id)
    );

    CREATE FUNCTION attachment_contents_follow_records() RETURNS trigger AS $$
    BEGIN
      DELETE FROM attachment_contents WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;

    CREATE TRIGGER attachment_contents_follow_records
    AFTER UPDATE OF deleted ON records
    FOR EACH ROW WHEN (NEW.entity = 'attachment' AND NEW.deleted)
    EXECUTE FUNCTION attachment_contents_follow_records();
  `);
}
