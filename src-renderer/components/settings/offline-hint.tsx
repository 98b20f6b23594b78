import { isOffline } from '../../lib/format';
import { useApp } from '../../state/store';

/** Offline, edits of the settings' records still work: says where they wait. */
export function OfflineHint() {
  const offline = useApp((s) => (s.sync ? isOffline(s.sync.status) : false));
  if (!offline) return null;
  return (
    <p className="offline-hint">
      You are offline. Changes are saved on this computer and sent when the connection is back.
    </p>
  );
}
