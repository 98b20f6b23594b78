import type { Database, Statement } from 'better-sqlite3';
import type { Attachment } from '../../../src-shared/domain/entities';
import { missingAttachmentTarget } from '../record-reads';
import type { RecordWriter } from './records';

/**
 * Attachments in SQLite: the content in `attachment_contents`, the metadata as an `attachment`
 * record (the change log), written by the caller's transaction. Migration 0050 deletes a content
 * when its record is tombstoned.
 */
export class AttachmentStore {
  private readonly insertContent: Statement<[string, string, Buffer]>;
  private readonly select: Statement<[string, string], { data: string; content: Buffer }>;

  constructor(
    db: Database,
    private readonly records: RecordWriter,
  ) {
    this.insertContent = db.prepare(
      'INSERT INTO attachment_contents (tenant_id, id, data) VALUES (?, ?, ?)',
    );
    this.select = db.prepare(
      `SELECT r.data, c.data AS content FROM records r
       JOIN attachment_contents c ON c.tenant_id = r.tenant_id AND c.id = r.id
       WHERE r.tenant_id = ? AND r.entity = 'attachment' AND r.id = ? AND r.deleted = 0`,
    );
  }

  /** Call inside a write transaction. */
  add(
    tenantId: string,
    attachment: Attachment,
    content: Buffer,
  ): 'added' | 'no_ticket' | 'no_comment' {
    const missing = missingAttachmentTarget(this.records.reader(tenantId), attachment);
    if (missing) return missing;
    this.insertContent.run(tenantId, attachment.id, content);
    this.records.write(
      tenantId,
      { entity: 'attachment', id: attachment.id, op: 'upsert', data: attachment },
      attachment.createdAt,
    );
    return 'added';
  }

  get(tenantId: string, id: string): { attachment: Attachment; content: Buffer } | null {
    const row = this.select.get(tenantId, id);
    return row ? { attachment: JSON.parse(row.data) as Attachment, content: row.content } : null;
  }
}
