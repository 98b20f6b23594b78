import type { Comment, Ticket } from '../domain/entities';

/**
 * When the requester last wrote: their newest comment (authorId null), else the ticket's creation,
 * whose description is their first message. The SLA clock a list sorts by to find who waits
 * longest, and the one the open ticket shows.
 */
export function lastCustomerReplyAt(
  ticket: Pick<Ticket, 'createdAt'>,
  comments: readonly Pick<Comment, 'authorId' | 'createdAt'>[],
): string {
  let latest: string | null = null;
  for (const c of comments) {
    if (c.authorId === null && (latest === null || c.createdAt > latest)) latest = c.createdAt;
  }
  return latest ?? ticket.createdAt;
}
