import type { FocusEvent } from 'react';
import { undo } from '../actions/mutations';
import { holdToast } from '../actions/toast-actions';
import { useApp } from '../state/store';

/**
 * After each triage action: what was done, and Undo (Ctrl/⌘+Z does the same), for a few seconds.
 * The live region is always there, so that screen readers announce what appears in it.
 */
export function Toast() {
  const toast = useApp((s) => s.toast);
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) holdToast(false);
  };
  return (
    <div
      role="status"
      aria-label="Last action"
      className="toast-area"
      onFocus={() => holdToast(true)}
      onBlur={onBlur}
      onMouseEnter={() => holdToast(true)}
      onMouseLeave={() => holdToast(false)}
    >
      {toast && (
        <div className="toast" key={toast.id}>
          <span>{toast.text}</span>
          <button
            type="button"
            className="small"
            aria-keyshortcuts="Control+Z Meta+Z"
            onClick={() => void undo()}
          >
            Undo
          </button>
        </div>
      )}
    </div>
  );
}
