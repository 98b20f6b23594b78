import type { Attachment, Comment, Ticket } from '../../src-shared/domain/entities';
import type { RowReader } from '../../src-shared/mutators/types';
import type { SupportAccessRead } from './storage';

/**
 * What both storages make of synced records they read outside the mutators: support access reads
 * and the checks before an attachment is added.
 */

/** A `ticket_list` support access: the tickets' JSON, most recently changed first. */
export function ticketListRead(tickets: readonly string[]): SupportAccessRead {
  return { scope: 'ticket_list', tickets: tickets.map((text) => JSON.parse(text) as Ticket) };
}

/** A `ticket` support access: the ticket and its comments, oldest comment first. */
export function ticketRead(ticket: string, comments: readonly string[]): SupportAccessRead {
  return {
    scope: 'ticket',
    ticket: JSON.parse(ticket) as Ticket,
    comments: comments
      .map((text) => JSON.parse(text) as Comment)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}

/** The rows `missingAttachmentTarget` reads. */
export function attachmentTargetRefs(attachment: Attachment) {
  return [
    { entity: 'ticket' as const, id: attachment.ticketId },
    ...(attachment.commentId === null
      ? []
      : [{ entity: 'comment' as const, id: attachment.commentId }]),
  ];
}

/** Why an attachment cannot be added (its ticket, or that comment of it, is missing), or null. */
export function missingAttachmentTarget(
  rows: RowReader,
  attachment: Attachment,
): 'no_ticket' | 'no_comment' | null {
  if (!rows.get('ticket', attachment.ticketId)) return 'no_ticket';
  if (
    attachment.commentId !== null &&
    rows.get('comment', attachment.commentId)?.ticketId !== attachment.ticketId
  ) {
    return 'no_comment';
  }
  return null;
}
