import type { Database, Statement } from 'better-sqlite3';
import type { EntityName } from '../../../src-shared/domain/entities';
import { CASCADE_DELETES, parentOf } from '../../../src-shared/mutators/registry';
import type { EntityWrite, RowReader } from '../../../src-shared/mutators/types';

/**
 * Writes to the `records` table, each with the tenant's next seq. Synchronous by design: it runs
 * inside a better-sqlite3 transaction, which must not await.
 */
export class RecordWriter {
  private readonly nextSeq: Statement<[string], { last_seq: number }>;
  private readonly reserveSeqs: Statement<[number, string], { last_seq: number }>;
  private readonly reserveNumbers: Statement<[number, string], { first: number }>;
  private readonly nextTicketNumber: Statement<[string], { number: number }>;
  private readonly upsert: Statement<unknown[]>;
  private readonly tombstone: Statement<unknown[]>;
  private readonly children: Statement<[string, string, string], { id: string }>;
  private readonly select: Statement<[string, string, string], { data: string }>;

  constructor(db: Database) {
    this.nextSeq = db.prepare(
      'UPDATE tenants SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
    );
    this.reserveSeqs = db.prepare(
      'UPDATE tenants SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq',
    );
    this.reserveNumbers = db.prepare(
      'UPDATE tenants SET next_ticket_number = next_ticket_number + ? WHERE id = ? RETURNING next_ticket_number AS first',
    );
    this.nextTicketNumber = db.prepare(
      'UPDATE tenants SET next_ticket_number = next_ticket_number + 1 WHERE id = ? RETURNING next_ticket_number - 1 AS number',
    );
    this.upsert = db.prepare(`
      INSERT INTO records (tenant_id, entity, id, seq, deleted, parent_id, changed_at, data)
      VALUES (?, ?, ?, ?, 0, ?, ?, ?)
      ON CONFLICT (tenant_id, entity, id) DO UPDATE SET
        seq = excluded.seq, deleted = 0, parent_id = excluded.parent_id,
        changed_at = excluded.changed_at, data = excluded.data`);
    this.tombstone = db.prepare(`
      UPDATE records SET seq = ?, deleted = 1, data = NULL, changed_at = ?
      WHERE tenant_id = ? AND entity = ? AND id = ? AND deleted = 0`);
    this.children = db.prepare(
      'SELECT id FROM records WHERE tenant_id = ? AND parent_id = ? AND entity = ? AND deleted = 0',
    );
    this.select = db.prepare(
      'SELECT data FROM records WHERE tenant_id = ? AND entity = ? AND id = ? AND deleted = 0',
    );
  }

  /** A reader over the tenant's live rows, as mutators see them. */
  reader(tenantId: string): RowReader {
    return {
      get: (entity, id) => {
        const row = this.select.get(tenantId, entity, id);
        return row ? JSON.parse(row.data) : null;
      },
    };
  }

  write(tenantId: string, write: EntityWrite, now: string): void {
    if (write.op === 'delete') {
      this.remove(tenantId, write.entity, write.id, now);
      return;
    }
    let data = write.data;
    if (write.entity === 'ticket' && data.number === null) {
      const { number } = this.nextTicketNumber.get(tenantId)!;
      data = { ...data, number };
    }
    const { last_seq: seq } = this.nextSeq.get(tenantId)!;
    this.upsert.run(
      tenantId,
      write.entity,
      write.id,
      seq,
      parentOf(write.entity, data),
      now,
      JSON.stringify(data),
    );
  }

  /**
   * Bulk upserts for demo and benchmark data: one seq range and one block of ticket numbers per
   * call instead of a counter update per row.
   */
  writeMany(
    tenantId: string,
    rows: ReadonlyArray<{ entity: EntityName; id: string; data: Record<string, unknown> }>,
    now: string,
  ): void {
    if (rows.length === 0) return;
    const { last_seq: lastSeq } = this.reserveSeqs.get(rows.length, tenantId)!;
    const unnumbered = rows.filter((r) => r.entity === 'ticket' && r.data.number === null).length;
    let number = unnumbered ? this.reserveNumbers.get(unnumbered, tenantId)!.first - unnumbered : 0;
    let seq = lastSeq - rows.length;
    for (const row of rows) {
      seq++;
      const data =
        row.entity === 'ticket' && row.data.number === null
          ? { ...row.data, number: number++ }
          : row.data;
      this.upsert.run(
        tenantId,
        row.entity,
        row.id,
        seq,
        parentOf(row.entity, data),
        now,
        JSON.stringify(data),
      );
    }
  }

  private remove(tenantId: string, entity: EntityName, id: string, now: string): void {
    const { last_seq: seq } = this.nextSeq.get(tenantId)!;
    if (this.tombstone.run(seq, now, tenantId, entity, id).changes === 0) return;
    for (const cascade of CASCADE_DELETES[entity] ?? []) {
      for (const child of this.children.all(tenantId, id, cascade.entity)) {
        this.remove(tenantId, cascade.entity, child.id, now);
      }
    }
  }
}
