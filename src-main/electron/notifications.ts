import type { Notification, NotificationConstructorOptions } from 'electron';
import type { NewWorkNotice } from '../core/services/new-work-notices';

/** More notices than this at once become one summary per kind. */
const ONE_BY_ONE_MAX = 3;

type Content = Pick<NotificationConstructorOptions, 'title' | 'body'>;

/** One notification per item, or one summary when there are too many. */
function batch<T>(items: T[], summary: (count: number) => Content, one: (item: T) => Content) {
  return items.length > ONE_BY_ONE_MAX ? [summary(items.length)] : items.map(one);
}

/** Title and text of the notifications for a batch of notices (pure, for tests). */
export function notificationContents(notices: readonly NewWorkNotice[]): Content[] {
  const assigned = notices.filter((notice) => notice.kind === 'assigned');
  const replies = notices.filter((notice) => notice.kind === 'customer-reply');
  const attention = notices.filter((notice) => notice.kind === 'needs-attention');
  const numbered = (ticket: { number: number | null; subject: string }) =>
    ticket.number === null ? ticket.subject : `#${ticket.number} ${ticket.subject}`;
  return [
    ...batch(
      assigned,
      (count) => ({
        title: `${count} tickets assigned to you`,
        body: 'Open Help Desk to see them in My tickets.',
      }),
      (ticket) => ({ title: 'Ticket assigned to you', body: numbered(ticket) }),
    ),
    ...batch(
      replies,
      (count) => ({
        title: `${count} customers replied`,
        body: 'Open Help Desk to see them in My tickets.',
      }),
      (ticket) => ({ title: 'The customer replied', body: numbered(ticket) }),
    ),
    ...batch(
      attention,
      (count) => ({
        title: `${count} changes need your attention`,
        body: 'Open Needs attention in Help Desk to resolve them.',
      }),
      (item) => ({
        title: 'A change needs your attention',
        body:
          item.problem === 'conflict'
            ? 'Someone else changed the same ticket: choose which version to keep.'
            : 'The service refused one of your changes.',
      }),
    ),
  ];
}

/** Held until closed: a notification garbage-collected while shown no longer reports clicks. */
const onScreen = new Set<unknown>();

type NotificationClass = {
  new (options: NotificationConstructorOptions): Pick<Notification, 'on' | 'show'>;
  isSupported(): boolean;
};

/**
 * Shows the notices natively; a click brings the window to the front. (The bridge contract has no
 * event to open a given ticket, so the click cannot go further than that.)
 */
export function showNotices(
  NotificationImpl: NotificationClass,
  notices: readonly NewWorkNotice[],
  onClick: () => void,
): void {
  if (!NotificationImpl.isSupported()) return;
  for (const content of notificationContents(notices)) {
    const notification = new NotificationImpl(content);
    onScreen.add(notification);
    notification.on('click', onClick);
    notification.on('close', () => onScreen.delete(notification));
    notification.show();
  }
}
