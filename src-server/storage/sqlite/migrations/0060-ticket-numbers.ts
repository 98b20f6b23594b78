import type { Database } from 'better-sqlite3';

/**
 * Tickets by number (`GET /api/v1/tickets/<number>`, a desktop fetching a ticket it does not keep
 * offline): without this index the lookup parsed every ticket of the tenant. The expression is
 * the one TicketReads queries with, and the index holds ticket rows only.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE INDEX records_ticket_number
      ON records (tenant_id, json_extract(data, '$.number'))
      WHERE entity = 'ticket';
  `);
}
