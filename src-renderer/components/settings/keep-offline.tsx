import { useEffect, useState } from 'react';
import {
  KEEP_OFFLINE_MONTHS,
  type KeepOfflineMonths,
  type OfflineWindow,
} from '../../../src-shared/bridge/offline-window';
import {
  changeOfflineWindow,
  loadOfflineWindow,
  windowChangeText,
} from '../../actions/offline-window-actions';
import { formatDateTime } from '../../lib/format';
import { ErrorAlert } from '../error-alert';

const ALL = 'all';

const choiceLabel = (months: KeepOfflineMonths) =>
  months === 1
    ? 'Tickets updated in the last month'
    : `Tickets updated in the last ${months} months`;

/**
 * "Keep offline": every ticket, or only recent ones, the older fetched when opened. `onChanged`:
 * the disk figures beside it are out of date.
 */
export function KeepOffline({ onChanged }: { onChanged: () => void }) {
  const [kept, setKept] = useState<OfflineWindow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void loadOfflineWindow().then(({ value, error: failure }) => {
      setKept(value);
      setError(failure);
    });
  }, []);

  const choose = async (choice: string) => {
    const months = choice === ALL ? null : (Number(choice) as KeepOfflineMonths);
    setBusy(true);
    setDone('');
    const { value, error: failure } = await changeOfflineWindow(months);
    setBusy(false);
    setError(failure);
    if (!value) return;
    setKept(value);
    setDone(windowChangeText(value));
    onChanged();
  };

  return (
    <section aria-labelledby="keep-offline-title">
      <h3 id="keep-offline-title">Keep offline</h3>
      <p>
        Tickets kept on this computer open, search and change without a connection. Older ones are
        fetched from the service when you open one: by its number in the command palette, or with
        &ldquo;Search older tickets on the server&rdquo; under search results.
      </p>
      <label className="keep-offline">
        <span>Keep offline</span>
        <select
          value={kept?.months ?? ALL}
          disabled={!kept || busy}
          onChange={(event) => void choose(event.target.value)}
        >
          <option value={ALL}>All tickets</option>
          {KEEP_OFFLINE_MONTHS.map((months) => (
            <option key={months} value={months}>
              {choiceLabel(months)}
            </option>
          ))}
        </select>
      </label>
      {kept?.keptSince && (
        <p className="hint">
          Every ticket updated since {formatDateTime(kept.keptSince)} is on this computer.
        </p>
      )}
      {/* Read out politely, as a status is (the tab's own status line is the diagnostics'). */}
      <p aria-live="polite" className="hint">
        {done}
      </p>
      <ErrorAlert message={error} />
    </section>
  );
}
