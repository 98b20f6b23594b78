import type { Database, Statement } from 'better-sqlite3';
import type {
  Attachment,
  Comment,
  EntityName,
  EntityOf,
  Ticket,
} from '../../../src-shared/domain/entities';
import { TICKET_PRIORITIES } from '../../../src-shared/domain/enums';
import type { RowReader } from '../../../src-shared/mutators/types';

/**
 * Keeps the query tables (`tickets`, `ticket_tags`, `ticket_fts`) in step with the effective
 * tickets: base with the local overlay on top. Called inside the writer's transaction.
 */
export class TicketProjection {
  private readonly statements: Record<string, Statement>;

  constructor(
    private readonly db: Database,
    private readonly rows: RowReader,
  ) {
    this.statements = {
      rowidOf: db.prepare('SELECT rowid FROM tickets WHERE id = ?'),
      upsert: db.prepare(
        `INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type, requester_id, assignee_id, created_at, updated_at, pending, last_customer_reply_at)
         VALUES (@id, @number, @subject, @status, @priority, @priorityRank, @type, @requesterId, @assigneeId, @createdAt, @updatedAt, @pending, @lastCustomerReplyAt)
         ON CONFLICT (id) DO UPDATE SET number = excluded.number, subject = excluded.subject, status = excluded.status,
           priority = excluded.priority, priority_rank = excluded.priority_rank, type = excluded.type,
           requester_id = excluded.requester_id, assignee_id = excluded.assignee_id, created_at = excluded.created_at,
           updated_at = excluded.updated_at, pending = excluded.pending,
           last_customer_reply_at = excluded.last_customer_reply_at
         RETURNING rowid`,
      ),
      deleteTicket: db.prepare('DELETE FROM tickets WHERE rowid = ?'),
      deleteTags: db.prepare('DELETE FROM ticket_tags WHERE ticket_rowid = ?'),
      insertTag: db.prepare('INSERT OR IGNORE INTO ticket_tags (tag, ticket_rowid) VALUES (?, ?)'),
      deleteFts: db.prepare('DELETE FROM ticket_fts WHERE rowid = ?'),
      insertFts: db.prepare(
        'INSERT INTO ticket_fts (rowid, subject, description, comments, requester) VALUES (?, ?, ?, ?, ?)',
      ),
      // The comments or attachments of a ticket. INDEXED BY: without statistics the planner picks
      // the primary key (entity = ?), a scan of every comment of the tenant per ticket refreshed.
      children: db.prepare(
        `SELECT b.data FROM base b INDEXED BY base_by_parent WHERE b.parent_id = ? AND b.entity = ?
           AND NOT EXISTS (SELECT 1 FROM overlay o WHERE o.entity = b.entity AND o.id = b.id)
         UNION ALL
         SELECT data FROM overlay INDEXED BY overlay_by_parent WHERE parent_id = ? AND entity = ? AND data IS NOT NULL`,
      ),
      pending: db.prepare(
        `SELECT 1 FROM overlay WHERE (entity = 'ticket' AND id = ?) OR (entity = 'comment' AND parent_id = ?) LIMIT 1`,
      ),
      parentOf: db.prepare(
        `SELECT parent_id FROM overlay WHERE entity = ? AND id = ? AND parent_id IS NOT NULL
         UNION ALL SELECT parent_id FROM base WHERE entity = ? AND id = ? AND parent_id IS NOT NULL LIMIT 1`,
      ),
      byRequester: db.prepare('SELECT id FROM tickets WHERE requester_id = ?'),
    };
  }

  /** Ticket ids whose projection a change of this row can alter. */
  ticketsAffectedBy(
    entity: EntityName,
    id: string,
    data: Record<string, unknown> | null,
  ): string[] {
    switch (entity) {
      case 'ticket':
        return [id];
      case 'comment': {
        if (typeof data?.ticketId === 'string') return [data.ticketId];
        const row = this.statements.parentOf!.get(entity, id, entity, id) as
          { parent_id: string } | undefined;
        return row ? [row.parent_id] : [];
      }
      case 'contact':
        return (this.statements.byRequester!.all(id) as Array<{ id: string }>).map((r) => r.id);
      default:
        return [];
    }
  }

  /** Comments of a ticket as callers see them, oldest first. */
  commentsOf(ticketId: string): Comment[] {
    return this.childrenOf('comment', ticketId);
  }

  /** Attachments of a ticket as callers see them, oldest first. */
  attachmentsOf(ticketId: string): Attachment[] {
    return this.childrenOf('attachment', ticketId);
  }

  private childrenOf<N extends 'comment' | 'attachment'>(
    entity: N,
    ticketId: string,
  ): Array<EntityOf<N>> {
    const rows = this.statements.children!.all(ticketId, entity, ticketId, entity) as Array<{
      data: string;
    }>;
    return rows
      .map((r) => JSON.parse(r.data) as EntityOf<N>)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  refresh(ticketIds: Iterable<string>): void {
    const s = this.statements;
    for (const id of ticketIds) {
      const existing = s.rowidOf!.get(id) as { rowid: number } | undefined;
      const ticket: Ticket | null = this.rows.get('ticket', id);
      if (existing) {
        s.deleteTags!.run(existing.rowid);
        s.deleteFts!.run(existing.rowid);
      }
      if (!ticket) {
        if (existing) s.deleteTicket!.run(existing.rowid);
        continue;
      }
      const pending = s.pending!.get(id, id) !== undefined;
      const comments = this.commentsOf(id);
      const { rowid } = s.upsert!.get({
        ...ticket,
        priorityRank: TICKET_PRIORITIES.indexOf(ticket.priority),
        pending: pending ? 1 : 0,
        lastCustomerReplyAt: lastCustomerReplyAt(ticket, comments),
      }) as { rowid: number };
      for (const tag of ticket.tags) s.insertTag!.run(tag, rowid);
      const requester = this.rows.get('contact', ticket.requesterId);
      s.insertFts!.run(
        rowid,
        ticket.subject,
        ticket.description,
        comments.map((c) => c.body).join('\n'),
        requester ? `${requester.name} ${requester.email ?? ''}` : '',
      );
    }
  }
}

/**
 * When the requester last wrote: their newest comment (authorId null), else the ticket's creation,
 * whose description is their first message. The clock a list sorts by to find who waits longest.
 */
export function lastCustomerReplyAt(ticket: Ticket, comments: readonly Comment[]): string {
  let latest: string | null = null;
  for (const c of comments) {
    if (c.authorId === null && (latest === null || c.createdAt > latest)) latest = c.createdAt;
  }
  return latest ?? ticket.createdAt;
}
