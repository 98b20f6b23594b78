import type { NewWorkNotice } from './new-work';

/** "#12 Printer jams", or the subject alone for a ticket not numbered yet. */
export function numberedSubject(ticket: { number: number | null; subject: string }): string {
  return ticket.number === null ? ticket.subject : `#${ticket.number} ${ticket.subject}`;
}

/**
 * What a notice says, as a native notification and the Notifications list show it (type-only
 * import: the renderer's bundle carries no zod for it).
 */
export function noticeText(notice: NewWorkNotice): { title: string; body: string } {
  switch (notice.kind) {
    case 'assigned':
      return { title: 'Ticket assigned to you', body: numberedSubject(notice) };
    case 'customer-reply':
      return { title: 'The customer replied', body: numberedSubject(notice) };
    case 'needs-attention':
      return {
        title: 'A change needs your attention',
        body:
          notice.problem === 'conflict'
            ? 'Someone else changed the same ticket: choose which version to keep.'
            : 'The service refused one of your changes.',
      };
  }
}
