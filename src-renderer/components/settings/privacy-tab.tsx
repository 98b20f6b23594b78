import { useState } from 'react';
import { exportMyData } from '../../actions/account-actions';
import { ErrorAlert } from '../error-alert';
import { saveFile } from '../save-file';

/** What is kept where, in plain words (docs/privacy.md says what keeps each promise), and the export. */
export function PrivacyTab() {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    setDone('');
    const { file, error: failure } = await exportMyData();
    setBusy(false);
    setError(failure);
    if (!file) return;
    saveFile(file.fileName, file.json, 'application/json');
    setDone(`Your data is ready: ${file.fileName}.`);
  };

  return (
    <div className="privacy">
      <h2>Privacy</h2>
      <section aria-labelledby="privacy-here">
        <h3 id="privacy-here">On this computer</h3>
        <ul>
          <li>
            A copy of your company&apos;s tickets, so that you can work offline: the customers&apos;
            names and email addresses, the conversations, and your own profile.
          </li>
          <li>
            It is kept in the app&apos;s data folder, which only your account on this computer can
            read. The app does not encrypt it: turn on your system&apos;s disk encryption
            (BitLocker, FileVault or LUKS) to protect it if the computer is lost or stolen.
          </li>
          <li>Your sign-in is kept in your system&apos;s keychain. Your password is never kept.</li>
          <li>Signing out deletes all of it from this computer.</li>
        </ul>
      </section>
      <section aria-labelledby="privacy-service">
        <h3 id="privacy-service">On the service</h3>
        <ul>
          <li>Your account and profile, your company&apos;s settings, the tickets and comments.</li>
          <li>Your communication preferences, with the time of each change.</li>
          <li>
            Your log-in history with Internet (IP) addresses, kept for a limited time (90 days by
            default).
          </li>
          <li>
            All of it is kept only to run the service and keep it secure. The service&apos;s staff
            open your records only to resolve a problem or a support request, through an audited
            path your admins can review.
          </li>
          <li>Statistics about the use of the service are only ever counted in aggregate.</li>
        </ul>
      </section>
      <section aria-labelledby="privacy-never">
        <h3 id="privacy-never">What is never stored</h3>
        <ul>
          <li>Card details: billing is handled by our payment processor.</li>
          <li>Your password in clear: the service keeps only a salted hash of it.</li>
        </ul>
      </section>
      <section aria-labelledby="privacy-export">
        <h3 id="privacy-export">Your data</h3>
        <p>Download everything the service holds about you, as a JSON file.</p>
        <div className="form-actions">
          <button type="button" disabled={busy} onClick={() => void download()}>
            Export my data
          </button>
        </div>
        <ErrorAlert message={error} />
        <p role="status" className="hint">
          {done}
        </p>
      </section>
    </div>
  );
}
