import { useEffect, useState } from 'react';
import type { TicketSummary } from '../../src-shared/bridge/ticket-query';
import { closeDialog } from '../actions/dialog-actions';
import { jumpToTicket } from '../actions/list-actions';
import { openOnDemand } from '../actions/offline-window-actions';
import { findTickets } from '../actions/palette-actions';
import { fuzzyFilter } from '../lib/fuzzy';
import { COMMANDS, SORT_COMMANDS, type Command } from '../lib/keymap';
import { ticketNumber } from '../lib/format';
import { ticketNumberIn } from '../lib/ticket-lookup';
import { useApp } from '../state/store';
import { ComboList } from './combo-list';
import { ModalDialog } from './modal-dialog';
import { runAction } from './run-action';

/** Waits for a pause in typing before asking the replica for tickets. */
const TYPING_PAUSE_MS = 120;

/** Commands that make no sense from the palette itself. */
const NOT_OFFERED = new Set(['palette', 'escape', 'await-view', 'account']);

type Entry =
  | { kind: 'command'; command: Command }
  | { kind: 'ticket'; ticket: TicketSummary }
  /** A number not kept offline: the ticket is fetched from the service. */
  | { kind: 'fetch'; number: number };

/**
 * Ctrl/⌘+K: every action of the keyboard map by name (and each saved view and sort order), and
 * every ticket by number or by the words of its subject; Enter runs or opens the one chosen.
 */
export function CommandPalette({ showShortcuts }: { showShortcuts: () => void }) {
  const savedViews = useApp((s) => s.savedViews);
  const accounts = useApp((s) => s.accounts);
  const [query, setQuery] = useState('');
  const [tickets, setTickets] = useState<{ query: string; found: TicketSummary[] }>({
    query: '',
    found: [],
  });

  useEffect(() => {
    const text = query.trim();
    if (text === '') return;
    let current = true;
    const timer = window.setTimeout(() => {
      void findTickets(text).then((found) => current && setTickets({ query: text, found }));
    }, TYPING_PAUSE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query]);

  const commands: Command[] = [
    ...COMMANDS.filter((c) => !NOT_OFFERED.has(c.action.type)),
    ...savedViews.map((view): Command => ({
      name: `Go to saved view: ${view.name}`,
      keys: '',
      action: { type: 'saved-view', id: view.id },
      group: 'Tickets',
    })),
    ...SORT_COMMANDS,
    ...accounts.map((account, index): Command => ({
      name: `Switch to account: ${account.label} (${account.user.email})`,
      keys: index < 9 ? `Ctrl+${index + 1}` : '',
      action: { type: 'account', index },
      group: 'App',
    })),
    { name: 'Add an account', keys: '', action: { type: 'add-account' }, group: 'App' },
  ];
  // Ticket answers for an older query are not shown against the new one.
  const answered = query.trim() !== '' && tickets.query === query.trim();
  const found = answered ? tickets.found : [];
  const number = ticketNumberIn(query);
  const entries: Entry[] = [
    ...fuzzyFilter(query, commands, (c) => c.name).map((command) => ({
      kind: 'command' as const,
      command,
    })),
    ...found.map((ticket) => ({ kind: 'ticket' as const, ticket })),
    ...(answered && number !== null && found.length === 0
      ? [{ kind: 'fetch' as const, number }]
      : []),
  ];

  const pick = (index: number) => {
    const entry = entries[index];
    if (!entry) return;
    closeDialog();
    // Once the dialog is gone: the focus it gives back would otherwise undo the action's own.
    window.setTimeout(() => {
      if (entry.kind === 'ticket') jumpToTicket(entry.ticket.id);
      else if (entry.kind === 'fetch') void openOnDemand(entry.number);
      else runAction(entry.command.action, showShortcuts);
    });
  };

  return (
    <ModalDialog label="Command palette" onClose={closeDialog}>
      <ComboList
        id="palette"
        inputLabel="Command or ticket"
        listLabel="Commands and tickets"
        placeholder="Type an action, a ticket number (#123) or words of a subject…"
        query={query}
        onQuery={setQuery}
        empty="No action or ticket matches."
        onPick={pick}
        options={entries.map((entry) =>
          entry.kind === 'fetch'
            ? {
                key: `fetch-${entry.number}`,
                content: (
                  <>
                    <span className="combo-kind">Ticket</span>
                    <span>
                      {ticketNumber(entry.number)}: not kept offline, fetch it from the service
                    </span>
                  </>
                ),
              }
            : entry.kind === 'ticket'
              ? {
                  key: `ticket-${entry.ticket.id}`,
                  content: (
                    <>
                      <span className="combo-kind">Ticket</span>
                      <span>
                        {ticketNumber(entry.ticket.number)} {entry.ticket.subject}
                      </span>
                    </>
                  ),
                }
              : {
                  key: `command-${entry.command.name}`,
                  content: (
                    <>
                      <span>{entry.command.name}</span>
                      {entry.command.keys && <kbd>{entry.command.keys}</kbd>}
                    </>
                  ),
                },
        )}
      />
    </ModalDialog>
  );
}
