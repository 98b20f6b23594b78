import type { ClientBase } from 'pg';

/**
 * Tickets by number, as SQLite's 0060: the expression is the one pg-ticket-reads queries with,
 * and the index holds ticket rows only (tenant id first, so that it distributes with `records`).
 */
export async function up(db: ClientBase): Promise<void> {
  await db.query(`
    CREATE INDEX records_ticket_number
      ON records (tenant_id, (data::json ->> 'number'))
      WHERE entity = 'ticket'
  `);
}
