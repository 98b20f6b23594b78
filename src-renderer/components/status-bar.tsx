import { openNextAttention, openNextHeld } from '../actions/list-actions';
import { setReauth, syncNow } from '../actions/session-actions';
import { isOffline, statusLine } from '../lib/format';
import { useApp } from '../state/store';
import { UpdateReady } from './update-ready';

/** Always at the bottom: online or offline, what sync is doing, unsent and held changes. */
export function StatusBar() {
  const sync = useApp((s) => s.sync);
  const offline = sync ? isOffline(sync.status) : false;
  return (
    <footer className="statusbar">
      <span className={offline ? 'dot offline' : 'dot online'} aria-hidden="true" />
      <div role="status" aria-label="Sync status" className="status-text">
        {sync ? statusLine(sync) : 'Online · Connecting… · 0 pending'}
      </div>
      {sync !== null && sync.held > 0 && (
        <button
          type="button"
          className="small"
          aria-keyshortcuts="h"
          onClick={() => void openNextHeld()}
        >
          Show held reply
        </button>
      )}
      {sync !== null && sync.needsAttention > 0 && (
        <button
          type="button"
          className="small"
          aria-keyshortcuts="Shift+A"
          onClick={() => void openNextAttention()}
        >
          Show what needs attention
        </button>
      )}
      {sync?.status.state === 'needs-sign-in' && (
        <button type="button" className="primary small" onClick={() => setReauth(true)}>
          Sign in to resume sync
        </button>
      )}
      <button type="button" className="small" onClick={() => void syncNow()}>
        Sync now
      </button>
      <UpdateReady />
    </footer>
  );
}
