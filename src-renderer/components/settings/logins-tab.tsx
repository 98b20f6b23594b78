import { loadLogins } from '../../actions/settings-actions';
import { needsConnection } from '../../lib/account-errors';
import { formatDateTime } from '../../lib/format';
import { deviceText, ipText, RESULT_TEXT } from '../../lib/login-events';
import type { LoginScope } from '../../state/settings-slice';
import { useApp } from '../../state/store';
import { ErrorAlert } from '../error-alert';

/** The log-in history, asked of the service: one's own, or the whole tenant's for admins. */
export function LoginsTab() {
  const isAdmin = useApp((s) => (s.profile?.current.role ?? s.session?.user.role) === 'admin');
  const tenantName = useApp((s) => s.session?.tenant.name ?? 'your company');
  const scope = useApp((s) => s.loginScope);
  const logins = useApp((s) => s.logins);
  const loading = useApp((s) => s.loginsLoading);
  const error = useApp((s) => s.loginsError);
  const everyone = scope === 'tenant';
  const scopes: ReadonlyArray<[LoginScope, string]> = [
    ['me', 'Mine'],
    ['tenant', `Everyone in ${tenantName}`],
  ];

  return (
    <>
      <h2>Log-ins</h2>
      <p className="hint">
        Every attempt to sign in, with its time, Internet (IP) address and device. The service keeps
        them for a limited time (90 days by default) to keep accounts safe.
      </p>
      {isAdmin && (
        <fieldset className="scope-choice" role="radiogroup" aria-labelledby="login-scope-title">
          <legend id="login-scope-title">Whose log-ins</legend>
          {scopes.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="login-scope"
                checked={scope === value}
                onChange={() => void loadLogins(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
      )}
      <div className="form-actions">
        <button type="button" aria-keyshortcuts="r" onClick={() => void loadLogins()}>
          Refresh
        </button>
        <span className="hint">{loading ? 'Loading…' : ''}</span>
      </div>
      <ErrorAlert
        message={
          error &&
          (needsConnection(error.code)
            ? `Log-in history needs a connection. ${error.message}`
            : error.message)
        }
      />
      {logins && (
        <div className="table-scroll">
          <table className="data-table">
            <caption>Log-in history</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {everyone && <th scope="col">Email</th>}
                <th scope="col">IP address</th>
                <th scope="col">Device</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {logins.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                  </td>
                  {everyone && <td>{event.email}</td>}
                  <td>{ipText(event.ip)}</td>
                  <td title={event.userAgent ?? undefined}>{deviceText(event.userAgent)}</td>
                  <td className={event.success ? undefined : 'failed'}>
                    {RESULT_TEXT[event.reason]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {logins.length === 0 && <p className="empty">No log-ins are recorded.</p>}
        </div>
      )}
    </>
  );
}
