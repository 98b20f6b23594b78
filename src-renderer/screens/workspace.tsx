import { useState } from 'react';
import { Notice } from '../components/notice';
import { SearchBox } from '../components/search-box';
import { ShortcutsDialog } from '../components/shortcuts-dialog';
import { Sidebar } from '../components/sidebar';
import { SignOutButton } from '../components/sign-out-button';
import { SignOutDialog } from '../components/sign-out-dialog';
import { StatusBar } from '../components/status-bar';
import { TicketList } from '../components/ticket-list';
import { TicketPane } from '../components/ticket-pane';
import { useKeyboard } from '../components/use-keyboard';
import { useApp } from '../state/store';

/** Views on the left, the list in the middle, the open ticket on the right. */
export function Workspace() {
  const session = useApp((s) => s.session);
  const [shortcuts, setShortcuts] = useState(false);
  useKeyboard(() => setShortcuts(true));

  return (
    <div className="app-frame">
      <header className="topbar">
        <span className="brand">Help desk</span>
        <SearchBox />
        <span className="spacer" />
        <button type="button" className="small" onClick={() => setShortcuts(true)}>
          Shortcuts <kbd>?</kbd>
        </button>
        {session && (
          <span className="account">
            {session.user.name} · {session.tenant.name}
          </span>
        )}
        <SignOutButton />
      </header>
      <div className="columns">
        <Sidebar />
        <main className="main">
          <TicketList />
          <TicketPane />
        </main>
      </div>
      <StatusBar />
      <Notice />
      {shortcuts && <ShortcutsDialog onClose={() => setShortcuts(false)} />}
      <SignOutDialog />
    </div>
  );
}
