import { dismissNotice } from '../actions/session-actions';
import { useApp } from '../state/store';
import { Toast } from './toast';

/** The outcome of the last action (an undo, a failed call), read out politely, under the toast. */
export function Notice() {
  const notice = useApp((s) => s.notice);
  return (
    <div className="notice-area">
      <Toast />
      <div aria-live="polite">
        {notice && (
          <div className="notice">
            <span>{notice}</span>
            <button type="button" className="small" onClick={dismissNotice}>
              Dismiss
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
