import type { ClientBase } from 'pg';
import type { EntityName } from '../../../src-shared/domain/entities';
import { CASCADE_DELETES, parentOf } from '../../../src-shared/mutators/registry';
import type { EntityRef, EntityWrite, RowReader } from '../../../src-shared/mutators/types';

const keyOf = (entity: string, id: string) => `${entity}\u0000${id}`;

/** Rows per statement of a bulk load: well under PostgreSQL's 65,535 bind parameters. */
const BULK_CHUNK = 2_000;

/**
 * Writes to the `records` table of PostgreSQL, each with the tenant's next seq. Every method runs
 * inside the caller's transaction, which must already hold the tenant row's lock
 * (`PgStorage.lockTenant`): that lock is what keeps seqs in commit order.
 */
export const pgRecords = {
  /**
   * Loads the rows a mutator declared (`reads`) and answers from them: mutators are synchronous,
   * PostgreSQL is not, so the reads happen before the mutator runs. An undeclared read throws.
   */
  async reader(db: ClientBase, tenantId: string, refs: readonly EntityRef[]): Promise<RowReader> {
    const rows = new Map<string, unknown>();
    if (refs.length) {
      const found = await db.query<{ entity: string; id: string; data: string }>(
        `SELECT r.entity, r.id, r.data FROM records r
         JOIN unnest($2::text[], $3::text[]) AS want (entity, id)
           ON r.entity = want.entity AND r.id = want.id
         WHERE r.tenant_id = $1 AND NOT r.deleted`,
        [tenantId, refs.map((r) => r.entity), refs.map((r) => r.id)],
      );
      for (const row of found.rows) rows.set(keyOf(row.entity, row.id), row.data);
    }
    const declared = new Set(refs.map((r) => keyOf(r.entity, r.id)));
    return {
      get: (entity, id) => {
        const key = keyOf(entity, id);
        if (!declared.has(key)) throw new Error(`undeclared read of ${entity} ${id}`);
        const data = rows.get(key);
        return typeof data === 'string' ? JSON.parse(data) : null;
      },
    };
  },

  async get(db: ClientBase, tenantId: string, entity: EntityName, id: string): Promise<unknown> {
    const reader = await pgRecords.reader(db, tenantId, [{ entity, id }]);
    return reader.get(entity, id);
  },

  async write(db: ClientBase, tenantId: string, write: EntityWrite, now: string): Promise<void> {
    if (write.op === 'delete') {
      await remove(db, tenantId, write.entity, write.id, now);
      return;
    }
    let data = write.data;
    if (write.entity === 'ticket' && data.number === null) {
      const { rows } = await db.query<{ number: number }>(
        `UPDATE tenants SET next_ticket_number = next_ticket_number + 1 WHERE id = $1
         RETURNING next_ticket_number - 1 AS number`,
        [tenantId],
      );
      data = { ...data, number: rows[0]!.number };
    }
    await upsert(db, tenantId, [{ entity: write.entity, id: write.id, data }], now);
  },

  /** Bulk upserts for demo and benchmark data: one seq range and one block of ticket numbers. */
  async writeMany(
    db: ClientBase,
    tenantId: string,
    rows: ReadonlyArray<{ entity: EntityName; id: string; data: Record<string, unknown> }>,
    now: string,
  ): Promise<void> {
    const unnumbered = rows.filter((r) => r.entity === 'ticket' && r.data.number === null).length;
    let number = 0;
    if (unnumbered) {
      const { rows: reserved } = await db.query<{ first: number }>(
        `UPDATE tenants SET next_ticket_number = next_ticket_number + $1 WHERE id = $2
         RETURNING next_ticket_number - $1 AS first`,
        [unnumbered, tenantId],
      );
      number = reserved[0]!.first;
    }
    const numbered = rows.map((row) =>
      row.entity === 'ticket' && row.data.number === null
        ? { ...row, data: { ...row.data, number: number++ } }
        : row,
    );
    for (let i = 0; i < numbered.length; i += BULK_CHUNK) {
      await upsert(db, tenantId, numbered.slice(i, i + BULK_CHUNK), now);
    }
  },
};

/** Upserts rows with consecutive fresh seqs, in the order given. */
async function upsert(
  db: ClientBase,
  tenantId: string,
  rows: ReadonlyArray<{ entity: EntityName; id: string; data: Record<string, unknown> }>,
  now: string,
): Promise<void> {
  if (rows.length === 0) return;
  const { rows: reserved } = await db.query<{ last_seq: number }>(
    'UPDATE tenants SET last_seq = last_seq + $1 WHERE id = $2 RETURNING last_seq',
    [rows.length, tenantId],
  );
  const first = reserved[0]!.last_seq - rows.length + 1;
  await db.query(
    `INSERT INTO records (tenant_id, entity, id, seq, deleted, parent_id, changed_at, data)
     SELECT $1, entity, id, $2 + ord - 1, FALSE, parent_id, $3, data
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[])
       WITH ORDINALITY AS r (entity, id, parent_id, data, ord)
     ON CONFLICT (tenant_id, entity, id) DO UPDATE SET
       seq = excluded.seq, deleted = FALSE, parent_id = excluded.parent_id,
       changed_at = excluded.changed_at, data = excluded.data`,
    [
      tenantId,
      first,
      now,
      rows.map((r) => r.entity),
      rows.map((r) => r.id),
      rows.map((r) => parentOf(r.entity, r.data)),
      rows.map((r) => JSON.stringify(r.data)),
    ],
  );
}

async function remove(
  db: ClientBase,
  tenantId: string,
  entity: EntityName,
  id: string,
  now: string,
): Promise<void> {
  const { rows } = await db.query<{ last_seq: number }>(
    'UPDATE tenants SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq',
    [tenantId],
  );
  const tombstoned = await db.query(
    `UPDATE records SET seq = $1, deleted = TRUE, data = NULL, changed_at = $2
     WHERE tenant_id = $3 AND entity = $4 AND id = $5 AND NOT deleted`,
    [rows[0]!.last_seq, now, tenantId, entity, id],
  );
  if (tombstoned.rowCount === 0) return;
  for (const cascade of CASCADE_DELETES[entity] ?? []) {
    const children = await db.query<{ id: string }>(
      `SELECT id FROM records
       WHERE tenant_id = $1 AND parent_id = $2 AND entity = $3 AND NOT deleted`,
      [tenantId, id, cascade.entity],
    );
    for (const child of children.rows) await remove(db, tenantId, cascade.entity, child.id, now);
  }
}
