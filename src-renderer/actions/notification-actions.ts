import type { NewWorkNotice } from '../../src-shared/bridge/new-work';
import { addNotices, announcement, NOTICES_KEPT, noticeTarget } from '../lib/notices';
import { appStore } from '../state/store';
import { jumpToTicket, selectView } from './list-actions';
import { closeSettings } from './settings-actions';

/** A `newWork` batch: into the list, counted unread unless the list is open, and read out. */
export function receiveNotices(notices: readonly NewWorkNotice[]): void {
  const { session, notices: held, unread, notificationsOpen } = appStore.getState();
  if (!session || notices.length === 0) return;
  appStore.setState({
    notices: addNotices(held, notices, new Date().toISOString()),
    unread: notificationsOpen ? 0 : Math.min(unread + notices.length, NOTICES_KEPT),
    noticeAnnouncement: announcement(notices),
  });
}

/** Opening the list reads everything in it. */
export const setNotificationsOpen = (open: boolean) =>
  appStore.setState(open ? { notificationsOpen: true, unread: 0 } : { notificationsOpen: false });

/** Opens a ticket from anywhere (the settings screen included), as a notice asks. */
export function openTicketFor(ticketId: string): void {
  if (!appStore.getState().session) return;
  closeSettings();
  jumpToTicket(ticketId);
}

/** A notice activated in the list: its ticket, or the Needs attention view; the list closes. */
export function openNotice(notice: NewWorkNotice): void {
  setNotificationsOpen(false);
  const target = noticeTarget(notice);
  if (target.kind === 'ticket') return openTicketFor(target.ticketId);
  closeSettings();
  selectView('needs-attention');
}
