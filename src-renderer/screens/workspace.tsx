import { useState } from 'react';
import { openDialog } from '../actions/dialog-actions';
import { AppFrame } from '../components/app-frame';
import { BulkBar } from '../components/bulk-bar';
import { KeyButton } from '../components/key-button';
import { Notifications } from '../components/notifications';
import { SearchBox } from '../components/search-box';
import { showSettings } from '../components/settings-navigation';
import { Sidebar } from '../components/sidebar';
import { TicketList } from '../components/ticket-list';
import { TicketPane } from '../components/ticket-pane';
import { useKeyboard } from '../components/use-keyboard';
import { WorkspaceDialogs } from '../components/workspace-dialogs';

/** Views on the left, the list (and the bulk bar) in the middle, the open ticket on the right. */
export function Workspace() {
  const [shortcuts, setShortcuts] = useState(false);
  const showShortcuts = () => setShortcuts(true);
  useKeyboard(showShortcuts);

  return (
    <AppFrame
      topStart={
        <>
          <SearchBox />
          <KeyButton
            keyshortcuts="Control+K Meta+K"
            shown="Ctrl+K"
            onClick={() => openDialog('palette')}
          >
            Commands
          </KeyButton>
          <KeyButton keyshortcuts="c" shown="c" onClick={() => openDialog('new-ticket')}>
            New ticket
          </KeyButton>
        </>
      }
      topEnd={
        <>
          <Notifications />
          <KeyButton keyshortcuts="," shown="," onClick={showSettings}>
            Settings
          </KeyButton>
        </>
      }
      shortcutsOpen={shortcuts}
      setShortcutsOpen={setShortcuts}
    >
      <div className="columns">
        <Sidebar />
        <main className="main">
          <div className="list-stack">
            <BulkBar />
            <TicketList />
          </div>
          <TicketPane />
        </main>
      </div>
      <WorkspaceDialogs showShortcuts={showShortcuts} />
    </AppFrame>
  );
}
