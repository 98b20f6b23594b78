import type { ReceivedNotice } from '../lib/notices';

/** New work the main process announced (`newWork`), for the Notifications list and its badge. */
export interface NotificationsSlice {
  notices: ReceivedNotice[];
  /** Notices that came since the list was last opened. */
  unread: number;
  notificationsOpen: boolean;
  /** What the live region last read out. */
  noticeAnnouncement: string;
}

export const initialNotifications = (): NotificationsSlice => ({
  notices: [],
  unread: 0,
  notificationsOpen: false,
  noticeAnnouncement: '',
});
