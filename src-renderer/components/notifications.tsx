import { useEffect, useRef, type KeyboardEvent } from 'react';
import { noticeText } from '../../src-shared/bridge/new-work-text';
import { openNotice, setNotificationsOpen } from '../actions/notification-actions';
import { formatListTime } from '../lib/format';
import { useApp } from '../state/store';
import { FOCUS_IDS, focusWhenReady } from './focus';
import { useNow } from './use-now';

const PANEL_ID = 'notifications-panel';

/**
 * The topbar's Notifications button (Shift+N) with its unread count, and the list it opens: the
 * newest notices first; Enter or a click on one opens its ticket. New ones are read out politely.
 */
export function Notifications() {
  const notices = useApp((s) => s.notices);
  const unread = useApp((s) => s.unread);
  const open = useApp((s) => s.notificationsOpen);
  const said = useApp((s) => s.noticeAnnouncement);
  const now = useNow();
  const panel = useRef<HTMLElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) (panel.current?.querySelector('button') ?? panel.current)?.focus();
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    // Handled here: the workspace's Esc (back to the list) leaves a prevented key alone.
    event.preventDefault();
    setNotificationsOpen(false);
    toggle.current?.focus();
  };

  return (
    <div className="notifications">
      <button
        ref={toggle}
        type="button"
        className="small"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
        aria-expanded={open}
        aria-controls={open ? PANEL_ID : undefined}
        aria-keyshortcuts="Shift+N"
        onClick={() => setNotificationsOpen(!open)}
      >
        Notifications
        {unread > 0 && <span className="unread-count">{unread}</span>}{' '}
        <kbd aria-hidden="true">Shift+N</kbd>
      </button>
      <div className="visually-hidden" aria-live="polite">
        {said}
      </div>
      {open && (
        <section
          id={PANEL_ID}
          ref={panel}
          aria-label="Notifications"
          className="notifications-panel"
          tabIndex={-1}
          onKeyDown={onKeyDown}
        >
          {notices.length === 0 ? (
            <p className="empty">Nothing new since you signed in.</p>
          ) : (
            <ul>
              {notices.map(({ id, at, notice }) => {
                const { title, body } = noticeText(notice);
                return (
                  <li key={id}>
                    <button
                      type="button"
                      className="notification"
                      onClick={() => {
                        openNotice(notice);
                        focusWhenReady(FOCUS_IDS.pane);
                      }}
                    >
                      <span className="notification-title">{title}</span>
                      <time dateTime={at}>{formatListTime(at, now)}</time>
                      <span className="notification-body">{body}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
