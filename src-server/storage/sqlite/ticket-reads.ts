import type { Database } from 'better-sqlite3';
import type { Attachment, Comment, Ticket } from '../../../src-shared/domain/entities';
import type { TicketRef, TicketThread } from '../../../src-shared/protocol/tickets';
import type { TicketSearch } from '../storage';
import { threadOf } from '../ticket-thread';

const TICKET_BY = `SELECT data FROM records WHERE tenant_id = ? AND entity = 'ticket' AND deleted = 0`;
const TICKET_BY_ID = `${TICKET_BY} AND id = ?`;
/** Served by the index of migration 0060 (its expression, for ticket rows). */
export const TICKET_BY_NUMBER = `${TICKET_BY} AND json_extract(data, '$.number') = ?`;

/**
 * Tickets read on demand, outside the change log: one ticket with its comments and attachments,
 * and a search by words. Rows are parsed in JS (SQLite's JSON functions mangle lone surrogates);
 * json_extract only picks rows.
 */
export class TicketReads {
  constructor(private readonly db: Database) {}

  thread(tenantId: string, ref: TicketRef): TicketThread | null {
    // One read transaction: the ticket and its children as of one moment.
    return this.db.transaction(() => {
      const ticket = this.db
        .prepare('id' in ref ? TICKET_BY_ID : TICKET_BY_NUMBER)
        .pluck()
        .get(tenantId, 'id' in ref ? ref.id : ref.number) as string | undefined;
      if (ticket === undefined) return null;
      const parsed = JSON.parse(ticket) as Ticket;
      const children = this.db
        .prepare(
          `SELECT entity, data FROM records
           WHERE tenant_id = ? AND parent_id = ? AND deleted = 0
             AND entity IN ('comment', 'attachment')`,
        )
        .all(tenantId, parsed.id) as Array<{ entity: 'comment' | 'attachment'; data: string }>;
      return threadOf(
        parsed,
        children.filter((c) => c.entity === 'comment').map((c) => JSON.parse(c.data) as Comment),
        children
          .filter((c) => c.entity === 'attachment')
          .map((c) => JSON.parse(c.data) as Attachment),
      );
    })();
  }

  search(tenantId: string, search: TicketSearch): Ticket[] {
    const text = `lower(json_extract(data, '$.subject') || char(10) || json_extract(data, '$.description'))`;
    const rows = this.db
      .prepare(
        `SELECT data FROM records WHERE tenant_id = ? AND entity = 'ticket' AND deleted = 0
           ${search.updatedBefore === null ? '' : "AND json_extract(data, '$.updatedAt') < ?"}
           ${search.words.map(() => `AND instr(${text}, ?) > 0`).join(' ')}
         ORDER BY json_extract(data, '$.updatedAt') DESC, id DESC LIMIT ?`,
      )
      .pluck()
      .all(
        tenantId,
        ...(search.updatedBefore === null ? [] : [search.updatedBefore]),
        ...search.words,
        search.limit,
      ) as string[];
    return rows.map((row) => JSON.parse(row) as Ticket);
  }
}
