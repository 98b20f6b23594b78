import type { Database } from 'better-sqlite3';

/**
 * Attachment contents, as blobs beside their metadata (an `attachment` row of `records`, which
 * syncs like any entity). SQLite keeps blobs of a few MiB well; they live in their own table so
 * that pulls never read them. The trigger deletes a content when its metadata row becomes a
 * tombstone, whatever tombstoned it (a ticket deleted with its attachments, today).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE attachment_contents (
      tenant_id TEXT NOT NULL,
      id TEXT NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (tenant_id, id)
    );

    CREATE TRIGGER attachment_contents_follow_records
    AFTER UPDATE OF deleted ON records
    WHEN NEW.entity = 'attachment' AND NEW.deleted = 1
    BEGIN
      DELETE FROM attachment_contents WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
    END;
  `);
}
