import { Component, type ReactNode } from 'react';

/**
 * The last line: a render error anywhere shows this screen instead of a blank window. React
 * reports the error itself (main.tsx sends it to the diagnostics log); Reload starts the page
 * again, with everything the main process keeps (the replica, the outbox) as it was.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <CrashScreen /> : this.props.children;
  }
}

function CrashScreen() {
  return (
    <main className="crashed" aria-labelledby="crashed-title">
      <div className="crashed-card">
        <h1 id="crashed-title">Help Desk stopped unexpectedly</h1>
        <p id="crashed-text">
          Something went wrong in this window. Your pending changes are saved on this computer and
          are sent when Help Desk syncs again.
        </p>
        <p className="hint">
          If it happens again, Settings › Local data &amp; diagnostics › Copy diagnostics gives
          support what they need to know.
        </p>
        <button
          type="button"
          className="primary"
          autoFocus
          aria-describedby="crashed-text"
          onClick={() => window.location.reload()}
        >
          Reload
        </button>
      </div>
    </main>
  );
}
