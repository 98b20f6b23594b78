import { SignOutButton } from '../components/sign-out-button';
import { SignOutDialog } from '../components/sign-out-dialog';
import { StatusBar } from '../components/status-bar';
import { progressText } from '../lib/format';
import { useApp } from '../state/store';

/** The first download of the tenant's data, with its real progress. */
export function InitialSyncScreen() {
  const status = useApp((s) => s.sync?.status);
  const done = status?.state === 'initial-sync' ? status.done : 0;
  const total = status?.state === 'initial-sync' ? status.total : null;
  const percent = total ? Math.min(100, (done / total) * 100) : 0;

  return (
    <div className="app-frame">
      <header className="topbar">
        <span className="brand">Help desk</span>
        <span className="spacer" />
        <SignOutButton />
      </header>
      <main className="setup">
        <div className="setup-card">
          <h1>Setting up your help desk</h1>
          <p>
            The app keeps a copy of your help desk on this computer, so that it works offline too.
            This first download happens once.
          </p>
          <div
            className={total === null ? 'progress indeterminate' : 'progress'}
            role="progressbar"
            aria-label="Initial sync"
            aria-valuemin={0}
            {...(total === null ? {} : { 'aria-valuemax': total, 'aria-valuenow': done })}
          >
            <div className="progress-fill" style={{ width: `${percent}%` }} />
          </div>
          <p className="progress-text">{progressText(done, total)}</p>
        </div>
      </main>
      <StatusBar />
      <SignOutDialog />
    </div>
  );
}
