import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { addAccount, cancelAddingAccount } from '../actions/accounts-actions';
import { setReauth, signIn } from '../actions/session-actions';
import { ErrorAlert } from '../components/error-alert';
import { LabelledInput } from '../components/labelled-input';
import { useApp } from '../state/store';

/** The largest CA file the bridge accepts (SignInInput.caCertificate). */
const MAX_CA_BYTES = 64 * 1024;

interface CaFile {
  name: string;
  text: string;
}

export function SignInScreen() {
  const appInfo = useApp((s) => s.appInfo);
  const session = useApp((s) => s.session);
  const reauth = useApp((s) => s.reauth);
  const adding = useApp((s) => s.addingAccount);
  // Signing in again fills in the account whose session ended; adding one, the service of the
  // account shown; otherwise the shell's defaults.
  const defaults = adding
    ? { serverUrl: session?.serverUrl ?? '', tenant: '', email: '' }
    : reauth && session
      ? { serverUrl: session.serverUrl, tenant: session.tenant.slug, email: session.user.email }
      : appInfo?.signInDefaults;

  const [serverUrl, setServerUrl] = useState(defaults?.serverUrl ?? '');
  const [tenant, setTenant] = useState(defaults?.tenant ?? '');
  const [email, setEmail] = useState(defaults?.email ?? '');
  const [password, setPassword] = useState('');
  const [ca, setCa] = useState<CaFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const chooseCa = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_CA_BYTES) {
      setError('The CA certificate file is too large (at most 64 KB).');
      return;
    }
    setCa({ name: file.name, text: await file.text() });
    setError(null);
  };

  const removeCa = () => {
    setCa(null);
    if (fileInput.current) fileInput.current.value = '';
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const failure = await (adding ? addAccount : signIn)({
      serverUrl: serverUrl.trim(),
      tenant: tenant.trim(),
      email: email.trim(),
      password,
      ...(ca ? { caCertificate: ca.text } : {}),
    });
    setBusy(false);
    if (failure !== null) setError(failure);
  };

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit}>
        <h1>{adding ? 'Add an account' : 'Sign in to your help desk'}</h1>
        {adding && (
          <p className="hint">
            Another tenant or service: you stay signed in to your accounts, and each goes on
            syncing.
          </p>
        )}
        {reauth && !adding && (
          <p className="hint">
            Your session has ended. Sign in again to keep syncing; changes not yet sent are kept.
          </p>
        )}
        <LabelledInput
          id="sign-in-server"
          label="Server URL"
          type="url"
          value={serverUrl}
          onChange={setServerUrl}
          autoComplete="url"
          required
          placeholder="https://helpdesk.example.com"
        />
        <LabelledInput
          id="sign-in-tenant"
          label="Tenant"
          type="text"
          value={tenant}
          onChange={setTenant}
          autoComplete="organization"
          required
          autoFocus={adding}
        />
        <LabelledInput
          id="sign-in-email"
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          required
        />
        <LabelledInput
          id="sign-in-password"
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
          autoFocus={Boolean(defaults) && !adding}
        />
        <label htmlFor="sign-in-ca">CA certificate (PEM)</label>
        <p className="hint" id="sign-in-ca-hint">
          Only for a self-hosted service whose certificate your system does not trust.
        </p>
        <input
          id="sign-in-ca"
          ref={fileInput}
          type="file"
          accept=".pem,.crt,.cer,application/x-pem-file"
          aria-describedby="sign-in-ca-hint"
          onChange={(e) => void chooseCa(e)}
        />
        {ca && (
          <div className="ca-chosen">
            <span className="ca-name">{ca.name}</span>
            <button type="button" className="link-button" onClick={removeCa}>
              Remove CA certificate
            </button>
          </div>
        )}
        <ErrorAlert message={error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
          {busy && <span className="hint">Signing in…</span>}
          {reauth && !adding && (
            <button type="button" onClick={() => setReauth(false)}>
              Not now
            </button>
          )}
          {adding && (
            <button type="button" onClick={cancelAddingAccount}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
