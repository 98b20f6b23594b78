import { useState, type FormEvent } from 'react';
import { Email } from '../../../src-shared/domain/primitives';
import { changeEmail } from '../../actions/account-actions';
import { DialogFormEnd } from '../dialog-form-end';
import { LabelledInput } from '../labelled-input';
import { ModalDialog } from '../modal-dialog';

interface Props {
  currentEmail: string;
  onClose: () => void;
}

/**
 * Changes the sign-in email, online only: the service checks the current password and that no
 * one else of the company has the address. The password lives in this form alone, emptied after
 * each attempt.
 */
export function ChangeEmailDialog({ currentEmail, onClose }: Props) {
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const currentPassword = password;
    setPassword('');
    const email = Email.safeParse(newEmail);
    if (!email.success) return setError('Enter the new email address, like name@example.com.');
    if (email.data.toLowerCase() === currentEmail.toLowerCase())
      return setError('That is already your email address.');
    if (currentPassword === '') return setError('Enter your current password.');
    setBusy(true);
    const failure = await changeEmail(email.data, currentPassword);
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };

  return (
    <ModalDialog labelledBy="change-email-title" onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="change-email-title">Change email</h2>
        <p className="hint">
          You sign in with this address. Changing it needs a connection to the service and your
          current password.
        </p>
        <LabelledInput
          id="change-email-new"
          label="New email"
          type="email"
          value={newEmail}
          onChange={setNewEmail}
          autoComplete="email"
          autoFocus
        />
        <LabelledInput
          id="change-email-password"
          label="Current password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <DialogFormEnd error={error} submit="Change email" busy={busy} onCancel={onClose} />
      </form>
    </ModalDialog>
  );
}
