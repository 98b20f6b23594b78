import { useEffect, useState } from 'react';
import type { LocalDataUsage } from '../../../src-shared/bridge/contract';
import {
  copyDiagnostics,
  loadLocalDataUsage,
  pendingKeptText,
  resetLocalData,
} from '../../actions/local-data-actions';
import { formatBytes, formatCount } from '../../lib/format';
import { ErrorAlert } from '../error-alert';
import { KeepOffline } from './keep-offline';
import { AccountsOnDisk } from './accounts-on-disk';
import { ModalDialog } from '../modal-dialog';

/** What this account keeps on this computer, starting over from the service, and the report. */
export function LocalDataTab() {
  const [usage, setUsage] = useState<LocalDataUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<string | null>(null);

  const refresh = async () => {
    const { value, error: failure } = await loadLocalDataUsage();
    setUsage(value);
    setError(failure);
  };
  useEffect(() => void refresh(), []);

  const reset = async () => {
    setAsking(false);
    setBusy(true);
    const failure = await resetLocalData();
    setBusy(false);
    setError(failure);
    await refresh();
  };

  const copy = async () => {
    const { value, error: failure } = await copyDiagnostics();
    setError(failure);
    if (!value) return;
    setReport(value.text);
    setDone(
      value.copied
        ? 'Diagnostics copied. Paste them into your message to support.'
        : 'Select the diagnostics below and copy them into your message to support.',
    );
  };

  return (
    <div className="local-data">
      <h2>Local data &amp; diagnostics</h2>
      <section aria-labelledby="local-data-disk">
        <h3 id="local-data-disk">On this computer</h3>
        {usage && (
          <dl className="value-list">
            <dt>Tickets and customers</dt>
            <dd>{formatBytes(usage.replicaBytes)}</dd>
            <dt>Attachments kept for offline use</dt>
            <dd>{formatBytes(usage.attachmentBytes)}</dd>
            <dt>Total</dt>
            <dd>{formatBytes(usage.replicaBytes + usage.attachmentBytes)}</dd>
            <dt>Changes not sent yet</dt>
            <dd>{formatCount(usage.pending)}</dd>
          </dl>
        )}
        {usage && <AccountsOnDisk accounts={usage.accounts} />}
        <p>
          Resetting downloads everything again from the service and removes the attachments kept on
          this computer. Changes not sent yet are kept.
        </p>
        <div className="form-actions">
          <button type="button" disabled={busy || !usage} onClick={() => setAsking(true)}>
            Reset local data…
          </button>
        </div>
      </section>
      <KeepOffline onChanged={() => void refresh()} />
      <section aria-labelledby="local-data-diagnostics">
        <h3 id="local-data-diagnostics">Diagnostics</h3>
        <p>
          A report for support: the app&apos;s version, your system, the sync state and the recent
          log. It holds no passwords, sign-in tokens or ticket contents.
        </p>
        <div className="form-actions">
          <button type="button" onClick={() => void copy()}>
            Copy diagnostics
          </button>
        </div>
        {report !== null && (
          <textarea
            aria-label="Diagnostics report"
            readOnly
            rows={12}
            value={report}
            onFocus={(event) => event.currentTarget.select()}
          />
        )}
      </section>
      <ErrorAlert message={error} />
      <p role="status" className="hint">
        {done}
      </p>
      {asking && usage && (
        <ModalDialog role="alertdialog" labelledBy="reset-title" onClose={() => setAsking(false)}>
          <h2 id="reset-title">Reset local data?</h2>
          <p>
            Everything is downloaded again from the service; until then, only what has arrived is
            shown. {pendingKeptText(usage.pending)}
          </p>
          <div className="form-actions">
            <button type="button" autoFocus onClick={() => setAsking(false)}>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => void reset()}>
              Reset local data
            </button>
          </div>
        </ModalDialog>
      )}
    </div>
  );
}
