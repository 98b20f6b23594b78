import { useState } from 'react';
import { restartToUpdate } from '../actions/update-actions';
import { useApp } from '../state/store';

/**
 * In the status bar once an update is downloaded: "Update X ready — Restart to update". Restarting
 * keeps the changes not sent yet; they go out when the new version syncs.
 */
export function UpdateReady() {
  const update = useApp((s) => s.updates?.update);
  const restarting = useApp((s) => s.restartingToUpdate);
  const [error, setError] = useState<string | null>(null);
  if (update?.state !== 'ready') return null;
  return (
    <div role="group" aria-label="Update" className="update-ready">
      <span>{restarting ? 'Restarting to update…' : `Update ${update.version} ready`}</span>
      <button
        type="button"
        className="primary small"
        disabled={restarting}
        title="Your changes not sent yet are kept and sent after the restart."
        onClick={() => void restartToUpdate().then(setError)}
      >
        Restart to update
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </div>
  );
}
