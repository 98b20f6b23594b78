import type { Comment, EntityName, Ticket } from '../../../src-shared/domain/entities';

type Row = Record<string, unknown>;

/**
 * The rows one pull page wrote to base, as parsed, and the tickets whose full text or
 * customer-reply clock the page may have changed. The projection reads these instead of reading
 * back and parsing again what the page has just written; a ticket outside `textChanged` keeps its
 * full-text row and clock, so that a status change does not read the ticket's comments.
 */
export class PageRows {
  private readonly rows = new Map<string, Row | null>();
  /** The page's comments by ticket id, and the ticket of each. */
  private readonly comments = new Map<string, Map<string, Comment>>();
  private readonly ticketOf = new Map<string, string>();
  readonly textChanged = new Set<string>();

  /** `data` null: deleted. Comments are kept by ticket only: the projection asks for no other way. */
  put(entity: EntityName, id: string, data: Row | null): void {
    if (entity !== 'comment') {
      this.rows.set(`${entity}\n${id}`, data);
      return;
    }
    const previous = this.ticketOf.get(id);
    if (previous !== undefined) this.comments.get(previous)?.delete(id);
    this.ticketOf.delete(id);
    const comment = data as Comment | null;
    if (!comment) return;
    this.ticketOf.set(id, comment.ticketId);
    const ofTicket = this.comments.get(comment.ticketId);
    if (ofTicket) ofTicket.set(id, comment);
    else this.comments.set(comment.ticketId, new Map([[id, comment]]));
  }

  /** A row other than a comment as the page left it: null when deleted, undefined when not written. */
  get(entity: Exclude<EntityName, 'comment'>, id: string): Row | null | undefined {
    return this.rows.get(`${entity}\n${id}`);
  }

  /** The page's comments of a ticket, in no order. */
  commentsOf(ticketId: string): Comment[] {
    return [...(this.comments.get(ticketId)?.values() ?? [])];
  }
}

/** Whether two versions of a ticket give the same full text and customer-reply clock. */
export function sameText(before: Ticket | null, after: Ticket): boolean {
  return (
    before !== null &&
    before.subject === after.subject &&
    before.description === after.description &&
    before.requesterId === after.requesterId &&
    before.createdAt === after.createdAt
  );
}
