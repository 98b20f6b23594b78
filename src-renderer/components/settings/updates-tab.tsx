import { useState } from 'react';
import { updateSummary } from '../../../src-shared/bridge/updates';
import {
  checkForUpdates,
  downloadUpdate,
  restartToUpdate,
  setAutoDownload,
} from '../../actions/update-actions';
import { formatDateTime } from '../../lib/format';
import { useApp } from '../../state/store';
import { ErrorAlert } from '../error-alert';

/** This version, the last check, "Check now", automatic downloads, and restarting to update. */
export function UpdatesTab() {
  const updates = useApp((s) => s.updates);
  const restarting = useApp((s) => s.restartingToUpdate);
  const [error, setError] = useState<string | null>(null);
  if (!updates) return <p className="hint">Reading the update status…</p>;
  const { update } = updates;
  const unsupported = update.state === 'unsupported';
  const busy = update.state === 'checking' || update.state === 'downloading';

  return (
    <div className="updates">
      <h2>Updates</h2>
      <dl className="value-list">
        <dt>This version</dt>
        <dd>{updates.currentVersion}</dd>
        <dt>Last checked</dt>
        <dd>{updates.lastCheckedAt ? formatDateTime(updates.lastCheckedAt) : 'Never'}</dd>
      </dl>
      <p role="status" aria-label="Update status">
        {updateSummary(updates)}
      </p>
      <div className="form-actions">
        <button type="button" disabled={unsupported || busy} onClick={() => void checkForUpdates()}>
          Check now
        </button>
        {update.state === 'available' && (
          <button type="button" onClick={() => void downloadUpdate().then(setError)}>
            Download update {update.version}
          </button>
        )}
        {update.state === 'ready' && (
          <button
            type="button"
            className="primary"
            disabled={restarting}
            onClick={() => void restartToUpdate().then(setError)}
          >
            Restart to update
          </button>
        )}
      </div>
      <div className="check-row">
        <input
          id="updates-auto-download"
          type="checkbox"
          checked={updates.autoDownload}
          disabled={unsupported}
          onChange={(e) => void setAutoDownload(e.target.checked).then(setError)}
          aria-describedby="updates-auto-download-hint"
        />
        <label htmlFor="updates-auto-download">Download updates automatically</label>
        <p id="updates-auto-download-hint" className="hint">
          Help Desk checks when it starts and every four hours. Restarting to update keeps the
          changes you have not sent yet; they are sent when the new version syncs.
        </p>
      </div>
      <ErrorAlert message={error} />
    </div>
  );
}
