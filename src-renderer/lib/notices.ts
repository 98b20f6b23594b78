import type { NewWorkNotice } from '../../src-shared/bridge/new-work';
import { noticeText } from '../../src-shared/bridge/new-work-text';

/** The Notifications list keeps this many, newest first; older ones drop off. */
export const NOTICES_KEPT = 50;

/** A notice as the Notifications list holds it: when it came, and an id for React. */
export interface ReceivedNotice {
  id: number;
  at: string;
  notice: NewWorkNotice;
}

/**
 * The list after a batch arrives: the batch first (in its order), the rest after, at most
 * NOTICES_KEPT. Ids go on from the newest already held.
 */
export function addNotices(
  held: readonly ReceivedNotice[],
  incoming: readonly NewWorkNotice[],
  at: string,
): ReceivedNotice[] {
  const nextId = (held[0]?.id ?? 0) + 1;
  const added = incoming.map((notice, i) => ({ id: nextId + incoming.length - 1 - i, at, notice }));
  return [...added, ...held].slice(0, NOTICES_KEPT);
}

/** What the live region reads out for a batch: the notice itself, or how many came. */
export function announcement(incoming: readonly NewWorkNotice[]): string {
  if (incoming.length === 0) return '';
  if (incoming.length > 1) return `${incoming.length} new notifications`;
  const { title, body } = noticeText(incoming[0]!);
  return `${title}: ${body}`;
}

/** Where activating a notice goes: its ticket, else the Needs attention view. */
export function noticeTarget(
  notice: NewWorkNotice,
): { kind: 'ticket'; ticketId: string } | { kind: 'needs-attention' } {
  return notice.ticketId === null
    ? { kind: 'needs-attention' }
    : { kind: 'ticket', ticketId: notice.ticketId };
}
