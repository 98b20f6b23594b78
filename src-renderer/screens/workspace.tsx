import { useState } from 'react';
import { AppFrame } from '../components/app-frame';
import { SearchBox } from '../components/search-box';
import { showSettings } from '../components/settings-navigation';
import { Sidebar } from '../components/sidebar';
import { TicketList } from '../components/ticket-list';
import { TicketPane } from '../components/ticket-pane';
import { useKeyboard } from '../components/use-keyboard';

/** Views on the left, the list in the middle, the open ticket on the right. */
export function Workspace() {
  const [shortcuts, setShortcuts] = useState(false);
  useKeyboard(() => setShortcuts(true));

  return (
    <AppFrame
      topStart={<SearchBox />}
      topEnd={
        <button type="button" className="small" aria-keyshortcuts="," onClick={showSettings}>
          Settings <kbd aria-hidden="true">,</kbd>
        </button>
      }
      shortcutsOpen={shortcuts}
      setShortcutsOpen={setShortcuts}
    >
      <div className="columns">
        <Sidebar />
        <main className="main">
          <TicketList />
          <TicketPane />
        </main>
      </div>
    </AppFrame>
  );
}
