import type { Attachment, Comment, Ticket } from '../../src-shared/domain/entities';
import type { TicketThread } from '../../src-shared/protocol/tickets';

/** Oldest first, ties by id: the order replicas show comments and attachments in. */
const byCreation = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;

/** A ticket with its children in a stable order, whatever order the database gave them in. */
export function threadOf(
  ticket: Ticket,
  comments: Comment[],
  attachments: Attachment[],
): TicketThread {
  return { ticket, comments: comments.sort(byCreation), attachments: attachments.sort(byCreation) };
}
