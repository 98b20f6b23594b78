import type { ReactNode } from 'react';
import { useApp } from '../state/store';
import { Notice } from './notice';
import { ShortcutsDialog } from './shortcuts-dialog';
import { SignOutButton } from './sign-out-button';
import { SignOutDialog } from './sign-out-dialog';
import { StatusBar } from './status-bar';
import { UpgradeBanner } from './upgrade-banner';

interface Props {
  /** Topbar controls after the brand (the search box) and before the shortcuts button. */
  topStart?: ReactNode;
  topEnd?: ReactNode;
  shortcutsOpen: boolean;
  setShortcutsOpen: (open: boolean) => void;
  children: ReactNode;
}

/**
 * What the signed-in screens share: the topbar with who is signed in, the status bar (connection
 * and sync), the notice, and the shortcuts and sign-out dialogs.
 */
export function AppFrame({ topStart, topEnd, shortcutsOpen, setShortcutsOpen, children }: Props) {
  const session = useApp((s) => s.session);
  return (
    <div className="app-frame">
      <header className="topbar">
        <span className="brand">Help desk</span>
        {topStart}
        <span className="spacer" />
        {topEnd}
        <button type="button" className="small" onClick={() => setShortcutsOpen(true)}>
          Shortcuts <kbd>?</kbd>
        </button>
        {session && (
          <span className="account">
            {session.user.name} ({session.user.email}) · {session.tenant.name}
          </span>
        )}
        <SignOutButton />
      </header>
      <UpgradeBanner />
      {children}
      <StatusBar />
      <Notice />
      {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
      <SignOutDialog />
    </div>
  );
}
