import { useState } from 'react';
import { signOut } from '../actions/session-actions';

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    setBusy(true);
    await signOut();
    setBusy(false);
  };
  return (
    <button type="button" onClick={() => void click()} disabled={busy}>
      Sign out
    </button>
  );
}
