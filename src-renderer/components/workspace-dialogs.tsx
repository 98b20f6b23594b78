import { useApp } from '../state/store';
import { CommandPalette } from './command-palette';
import { MacroDialog } from './macro-dialog';
import { NewTicketDialog } from './new-ticket-dialog';
import { SaveViewDialog } from './save-view-dialog';

/** The workspace's dialog of the moment (the palette, a new ticket, a macro, a view to save). */
export function WorkspaceDialogs({ showShortcuts }: { showShortcuts: () => void }) {
  const dialog = useApp((s) => s.dialog);
  switch (dialog) {
    case 'palette':
      return <CommandPalette showShortcuts={showShortcuts} />;
    case 'new-ticket':
      return <NewTicketDialog />;
    case 'macro':
      return <MacroDialog />;
    case 'save-view':
      return <SaveViewDialog />;
    case null:
      return null;
  }
}
