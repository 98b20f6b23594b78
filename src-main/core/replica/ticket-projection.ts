import type { Database, Statement } from 'better-sqlite3';
import { lastCustomerReplyAt } from '../../../src-shared/bridge/customer-reply';
import type {
  Attachment,
  Comment,
  EntityName,
  EntityOf,
} from '../../../src-shared/domain/entities';
import { TICKET_PRIORITIES } from '../../../src-shared/domain/enums';
import type { RowReader } from '../../../src-shared/mutators/types';
import type { PageRows } from './page-rows';
import type { TicketsRow } from './tickets-row';

const TICKET_COLUMNS = [
  'id',
  'number',
  'subject',
  'status',
  'priority',
  'priority_rank',
  'type',
  'requester_id',
  'assignee_id',
  'created_at',
  'updated_at',
  'pending',
  'last_customer_reply_at',
] as const satisfies ReadonlyArray<keyof TicketsRow>;

/**
 * Keeps the query tables (`tickets`, `ticket_tags`, `ticket_fts`) in step with the effective
 * tickets: base with the local overlay on top. Called inside the writer's transaction.
 */
export class TicketProjection {
  private readonly statements: Record<string, Statement>;
  /** `UPDATE tickets` of one set of changed columns, by their names. */
  private readonly updates = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    private readonly rows: RowReader,
  ) {
    this.statements = {
      existing: db.prepare(`SELECT rowid, ${TICKET_COLUMNS.join(', ')} FROM tickets WHERE id = ?`),
      insert: db.prepare(
        `INSERT INTO tickets (${TICKET_COLUMNS.join(', ')})
         VALUES (${TICKET_COLUMNS.map((c) => `@${c}`).join(', ')})`,
      ),
      deleteTicket: db.prepare('DELETE FROM tickets WHERE rowid = ?'),
      tagsOf: db.prepare('SELECT tag FROM ticket_tags WHERE ticket_rowid = ?').pluck(),
      deleteTags: db.prepare('DELETE FROM ticket_tags WHERE ticket_rowid = ?'),
      deleteTag: db.prepare('DELETE FROM ticket_tags WHERE tag = ? AND ticket_rowid = ?'),
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
      // How many comments of a ticket base holds, from the index alone.
      commentCount: db
        .prepare(
          `SELECT count(*) FROM base INDEXED BY base_by_parent WHERE parent_id = ? AND entity = 'comment'`,
        )
        .pluck(),
      overlayRow: db.prepare('SELECT data FROM overlay WHERE entity = ? AND id = ?'),
      overlayHasComments: db.prepare(`SELECT 1 FROM overlay WHERE entity = 'comment' LIMIT 1`),
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
    return rows.map((r) => JSON.parse(r.data) as EntityOf<N>).sort(byCreation);
  }

  /**
   * Brings the rows of these tickets up to date. With `page` (a pull page just written to base),
   * rows it wrote are taken from it rather than read back. A ticket already here and outside
   * `textChanged` (by default the page's) keeps its full-text row and customer-reply clock;
   * without either, every ticket's are rewritten.
   */
  refresh(
    ticketIds: Iterable<string>,
    page?: PageRows,
    textChanged: ReadonlySet<string> | undefined = page?.textChanged,
  ): void {
    const s = this.statements;
    // The page's comments of a ticket are all it has only when no local change touches comments.
    const pageComments = page !== undefined && s.overlayHasComments!.get() === undefined;
    for (const id of ticketIds) {
      const existing = s.existing!.get(id) as (TicketsRow & { rowid: number }) | undefined;
      const ticket = this.effective('ticket', id, page);
      if (!ticket) {
        if (existing) {
          s.deleteTags!.run(existing.rowid);
          s.deleteFts!.run(existing.rowid);
          s.deleteTicket!.run(existing.rowid);
        }
        continue;
      }
      const newText = !existing || !textChanged || textChanged.has(id);
      const comments = newText ? this.currentComments(id, pageComments ? page : undefined) : [];
      const row: TicketsRow = {
        id,
        number: ticket.number,
        subject: ticket.subject,
        status: ticket.status,
        priority: ticket.priority,
        priority_rank: TICKET_PRIORITIES.indexOf(ticket.priority),
        type: ticket.type,
        requester_id: ticket.requesterId,
        assignee_id: ticket.assigneeId,
        created_at: ticket.createdAt,
        updated_at: ticket.updatedAt,
        pending: s.pending!.get(id, id) === undefined ? 0 : 1,
        last_customer_reply_at:
          existing && !newText
            ? existing.last_customer_reply_at
            : lastCustomerReplyAt(ticket, comments),
      };
      const rowid = existing
        ? this.update(existing, row)
        : Number(s.insert!.run(row).lastInsertRowid);
      this.writeTags(rowid, ticket.tags, existing !== undefined);
      if (!newText) continue;
      if (existing) s.deleteFts!.run(rowid);
      const requester = this.effective('contact', ticket.requesterId, page);
      s.insertFts!.run(
        rowid,
        ticket.subject,
        ticket.description,
        comments.map((c) => c.body).join('\n'),
        requester ? `${requester.name} ${requester.email ?? ''}` : '',
      );
    }
  }

  /** A row as callers see it: the overlay, else what the page wrote, else base. */
  private effective<N extends 'ticket' | 'contact'>(
    entity: N,
    id: string,
    page: PageRows | undefined,
  ): EntityOf<N> | null {
    const written = page?.get(entity, id);
    if (written === undefined) return this.rows.get(entity, id);
    const local = this.statements.overlayRow!.get(entity, id) as
      { data: string | null } | undefined;
    if (local) return local.data ? (JSON.parse(local.data) as EntityOf<N>) : null;
    return written as EntityOf<N> | null;
  }

  /**
   * A ticket's comments, oldest first: the page's when base holds no others (the index says how
   * many it holds), else read back.
   */
  private currentComments(ticketId: string, page: PageRows | undefined): Comment[] {
    const mine = page?.commentsOf(ticketId);
    if (!mine || mine.length !== this.statements.commentCount!.get(ticketId)) {
      return this.commentsOf(ticketId);
    }
    return mine.sort(byCreation);
  }

  /** Writes only the columns that changed, so that only their indexes are touched. */
  private update(existing: TicketsRow & { rowid: number }, row: TicketsRow): number {
    const changed = TICKET_COLUMNS.filter((column) => existing[column] !== row[column]);
    if (changed.length > 0) {
      const key = changed.join(',');
      let statement = this.updates.get(key);
      if (!statement) {
        statement = this.db.prepare(
          `UPDATE tickets SET ${changed.map((c) => `${c} = @${c}`).join(', ')} WHERE rowid = @rowid`,
        );
        this.updates.set(key, statement);
      }
      statement.run({ ...row, rowid: existing.rowid });
    }
    return existing.rowid;
  }

  private writeTags(rowid: number, tags: readonly string[], existed: boolean): void {
    const s = this.statements;
    const before = existed ? new Set(s.tagsOf!.all(rowid) as string[]) : new Set<string>();
    const after = new Set(tags);
    for (const tag of before) if (!after.has(tag)) s.deleteTag!.run(tag, rowid);
    for (const tag of after) if (!before.has(tag)) s.insertTag!.run(tag, rowid);
  }
}

/** Oldest first, ties by id: the order callers see comments and attachments in. */
function byCreation(
  a: { createdAt: string; id: string },
  b: { createdAt: string; id: string },
): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
