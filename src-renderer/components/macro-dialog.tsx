import { useEffect, useState } from 'react';
import { closeDialog } from '../actions/dialog-actions';
import { applyMacro } from '../actions/mutations';
import { loadMacros } from '../actions/ticket-actions';
import { fuzzyFilter } from '../lib/fuzzy';
import { macroText } from '../lib/triage-text';
import { useApp } from '../state/store';
import { ComboList } from './combo-list';
import { FOCUS_IDS, focusElement } from './focus';
import { ModalDialog } from './modal-dialog';

/**
 * `m`: picks a macro (admins define them on the service; every replica has them) and applies it
 * to the open ticket, offline too: its changes and its reply, placeholders filled, are queued.
 */
export function MacroDialog() {
  const macros = useApp((s) => s.macros);
  const users = useApp((s) => s.users);
  const ticketId = useApp((s) => s.openId);
  const [query, setQuery] = useState('');
  useEffect(() => void loadMacros(), []);
  const shown = fuzzyFilter(query, macros, (m) => m.title);

  const pick = (index: number) => {
    const macro = shown[index];
    if (!macro || ticketId === null) return;
    closeDialog();
    void applyMacro(ticketId, macro).then(() => focusElement(FOCUS_IDS.pane));
  };

  return (
    <ModalDialog label="Apply a macro" onClose={closeDialog}>
      <h2>Apply a macro</h2>
      <ComboList
        id="macro"
        inputLabel="Macro"
        listLabel="Macros"
        placeholder="Type to find a macro…"
        query={query}
        onQuery={setQuery}
        empty={
          macros.length === 0 ? 'Your admins have not defined any macro yet.' : 'No macro matches.'
        }
        onPick={pick}
        options={shown.map((macro) => ({
          key: macro.id,
          content: (
            <>
              <span className="combo-title">{macro.title}</span>
              <span className="combo-detail">{macroText(macro, users)}</span>
            </>
          ),
        }))}
      />
    </ModalDialog>
  );
}
