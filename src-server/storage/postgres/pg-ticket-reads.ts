import type { ClientBase, Pool } from 'pg';
import type { Attachment, Comment, Ticket } from '../../../src-shared/domain/entities';
import type { TicketRef, TicketThread } from '../../../src-shared/protocol/tickets';
import type { TicketSearch } from '../storage';
import { threadOf } from '../ticket-thread';
import { transaction } from './pg-database';

/**
 * Tickets read on demand, outside the change log (see ../sqlite/ticket-reads.ts). `json`, not
 * `jsonb`: jsonb refuses text that JSON allows; rows are parsed in JS.
 */
const TICKET_BY = `SELECT data FROM records WHERE tenant_id = $1 AND entity = 'ticket' AND NOT deleted`;
const TICKET_BY_ID = `${TICKET_BY} AND id = $2`;
/** Served by the index of migration 0060 (its expression, for ticket rows). */
export const TICKET_BY_NUMBER = `${TICKET_BY} AND (data::json ->> 'number') = $2`;

export const pgTicketReads = {
  async thread(pool: Pool, tenantId: string, ref: TicketRef): Promise<TicketThread | null> {
    // One snapshot: the ticket and its children as of one moment.
    return transaction(
      pool,
      async (db: ClientBase) => {
        const { rows } = await db.query<{ data: string }>(
          'id' in ref ? TICKET_BY_ID : TICKET_BY_NUMBER,
          [tenantId, 'id' in ref ? ref.id : String(ref.number)],
        );
        if (!rows[0]) return null;
        const ticket = JSON.parse(rows[0].data) as Ticket;
        const children = await db.query<{ entity: 'comment' | 'attachment'; data: string }>(
          `SELECT entity, data FROM records
           WHERE tenant_id = $1 AND parent_id = $2 AND NOT deleted
             AND entity IN ('comment', 'attachment')`,
          [tenantId, ticket.id],
        );
        const of = <T>(entity: string) =>
          children.rows.filter((c) => c.entity === entity).map((c) => JSON.parse(c.data) as T);
        return threadOf(ticket, of<Comment>('comment'), of<Attachment>('attachment'));
      },
      'ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  },

  async search(pool: Pool, tenantId: string, search: TicketSearch): Promise<Ticket[]> {
    const params: unknown[] = [tenantId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const text = `lower(concat_ws(E'\\n', data::json ->> 'subject', data::json ->> 'description') COLLATE "C")`;
    const before =
      search.updatedBefore === null
        ? ''
        : `AND (data::json ->> 'updatedAt') COLLATE "C" < ${param(search.updatedBefore)}`;
    const words = search.words.map((word) => `AND strpos(${text}, ${param(word)}) > 0`).join(' ');
    const { rows } = await pool.query<{ data: string }>(
      `SELECT data FROM records WHERE tenant_id = $1 AND entity = 'ticket' AND NOT deleted
         ${before} ${words}
       ORDER BY (data::json ->> 'updatedAt') COLLATE "C" DESC, id DESC
       LIMIT ${param(search.limit)}`,
      params,
    );
    return rows.map((row) => JSON.parse(row.data) as Ticket);
  },
};
