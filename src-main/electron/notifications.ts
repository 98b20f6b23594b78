import type { Notification, NotificationConstructorOptions } from 'electron';
import type { NewWorkNotice } from '../../src-shared/bridge/new-work';
import { noticeText } from '../../src-shared/bridge/new-work-text';

/** More notices than this at once become one summary per kind. */
const ONE_BY_ONE_MAX = 3;

/** A notification's title and text, and the ticket its click opens (null: none, the window only). */
export type NotificationContent = Pick<NotificationConstructorOptions, 'title' | 'body'> & {
  ticketId: string | null;
};

/**
 * One notification per notice, or one summary when there are too many. A summary opens no ticket:
 * its click brings the window to the front, where the Notifications list holds each notice.
 */
function batch(
  notices: readonly NewWorkNotice[],
  summary: (count: number) => { title: string; body: string },
): NotificationContent[] {
  return notices.length > ONE_BY_ONE_MAX
    ? [{ ...summary(notices.length), ticketId: null }]
    : notices.map((notice) => ({ ...noticeText(notice), ticketId: notice.ticketId }));
}

/** Title, text and ticket of the notifications for a batch of notices (pure, for tests). */
export function notificationContents(notices: readonly NewWorkNotice[]): NotificationContent[] {
  const ofKind = (kind: NewWorkNotice['kind']) => notices.filter((notice) => notice.kind === kind);
  return [
    ...batch(ofKind('assigned'), (count) => ({
      title: `${count} tickets assigned to you`,
      body: 'Open Help Desk to see them in My tickets.',
    })),
    ...batch(ofKind('customer-reply'), (count) => ({
      title: `${count} customers replied`,
      body: 'Open Help Desk to see them in My tickets.',
    })),
    ...batch(ofKind('needs-attention'), (count) => ({
      title: `${count} changes need your attention`,
      body: 'Open Needs attention in Help Desk to resolve them.',
    })),
  ];
}

/** Held until closed: a notification garbage-collected while shown no longer reports clicks. */
const onScreen = new Set<unknown>();

type NotificationClass = {
  new (options: NotificationConstructorOptions): Pick<Notification, 'on' | 'show'>;
  isSupported(): boolean;
};

/** Shows the notices natively; a click calls `onClick` with the ticket it is about, if one. */
export function showNotices(
  NotificationImpl: NotificationClass,
  notices: readonly NewWorkNotice[],
  onClick: (ticketId: string | null) => void,
): void {
  if (!NotificationImpl.isSupported()) return;
  for (const { ticketId, ...content } of notificationContents(notices)) {
    const notification = new NotificationImpl(content);
    onScreen.add(notification);
    notification.on('click', () => onClick(ticketId));
    notification.on('close', () => onScreen.delete(notification));
    notification.show();
  }
}
