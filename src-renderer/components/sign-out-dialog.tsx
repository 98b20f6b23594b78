import { cancelSignOut, signOut } from '../actions/session-actions';
import { formatCount } from '../lib/format';
import { useApp } from '../state/store';
import { ModalDialog } from './modal-dialog';

/** Signing out would lose changes the service has not confirmed: asks first. */
export function SignOutDialog() {
  const pending = useApp((s) => s.signOutPending);
  if (pending === null) return null;
  const changes = pending === 1 ? '1 change has' : `${formatCount(pending)} changes have`;
  return (
    <ModalDialog role="alertdialog" labelledBy="sign-out-title" onClose={cancelSignOut}>
      <h2 id="sign-out-title">Sign out and discard changes?</h2>
      <p>
        {changes} not been accepted by the service yet (not sent, or waiting for you to resolve
        them). Signing out now deletes them from this computer.
      </p>
      <div className="form-actions">
        <button type="button" autoFocus onClick={cancelSignOut}>
          Stay signed in
        </button>
        <button type="button" className="danger" onClick={() => void signOut(true)}>
          Discard changes and sign out
        </button>
      </div>
    </ModalDialog>
  );
}
