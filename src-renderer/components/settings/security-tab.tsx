import { useState, type FormEvent } from 'react';
import { passwordProblem } from '../../../src-shared/auth/password-policy';
import { changePassword } from '../../actions/account-actions';
import { useApp } from '../../state/store';
import { ErrorAlert } from '../error-alert';
import { LabelledInput } from '../labelled-input';

const FIELDS = [
  { id: 'password-current', label: 'Current password', autoComplete: 'current-password' },
  { id: 'password-new', label: 'New password', autoComplete: 'new-password' },
  { id: 'password-confirm', label: 'Confirm new password', autoComplete: 'new-password' },
] as const;

type Passwords = Record<(typeof FIELDS)[number]['id'], string>;

const EMPTY: Passwords = { 'password-current': '', 'password-new': '', 'password-confirm': '' };

/**
 * Change password, online only. The new one is checked here first with the service's own policy
 * (src-shared), so a weak one is never sent; the three boxes are emptied after every attempt.
 */
export function SecurityTab() {
  const session = useApp((s) => s.session);
  const [values, setValues] = useState<Passwords>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const problemOf = ({ 'password-current': current, ...typed }: Passwords) => {
    if (current === '') return 'Enter your current password.';
    const problem = passwordProblem(typed['password-new'], {
      email: session?.user.email,
      tenantSlug: session?.tenant.slug,
    });
    if (problem) return problem.message;
    if (typed['password-new'] !== typed['password-confirm']) return 'The two new passwords differ.';
    return null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const typed = values;
    setValues(EMPTY);
    setDone('');
    const problem = problemOf(typed);
    setError(problem);
    if (problem) return;
    setBusy(true);
    const failure = await changePassword(typed['password-current'], typed['password-new']);
    setBusy(false);
    setError(failure);
    if (!failure) setDone('Password changed. Your other sessions have been signed out.');
  };

  return (
    <>
      <h2>Security</h2>
      <form
        className="password-form"
        aria-labelledby="change-password-title"
        onSubmit={(e) => void submit(e)}
        noValidate
      >
        <h3 id="change-password-title">Change password</h3>
        <p className="hint">
          At least 10 characters; not your email address or company name, and not one of the
          commonly leaked passwords. Changing it needs a connection to the service and signs out
          your other sessions.
        </p>
        {FIELDS.map(({ id, label, autoComplete }) => (
          <LabelledInput
            key={id}
            id={id}
            label={label}
            type="password"
            value={values[id]}
            onChange={(value) => setValues((before) => ({ ...before, [id]: value }))}
            autoComplete={autoComplete}
          />
        ))}
        <ErrorAlert message={error} />
        <p role="status" className="success">
          {done}
        </p>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </>
  );
}
