import type { TicketSummary } from '../../src-shared/bridge/ticket-query';
import type { CheckedTicket } from '../lib/bulk';
import { appStore } from '../state/store';
import { selectIndex } from './list-actions';

/**
 * The selection for bulk actions, apart from the open ticket: `x` adds or removes the current
 * row, Shift+J/K add it and the next or previous one, Ctrl+click a row toggles it. It holds ticket
 * ids (with what the bulk report names them by), so it survives the list re-querying.
 */

const asChecked = ({ id, number, subject }: TicketSummary): CheckedTicket => ({
  id,
  number,
  subject,
});

function current(): { row: TicketSummary; index: number } | null {
  const { cache, selectedId } = appStore.getState();
  if (selectedId === null) return null;
  const index = cache.indexOf(selectedId);
  const row = index < 0 ? undefined : cache.rowAt(index);
  return row ? { row, index } : null;
}

function add(row: TicketSummary): void {
  appStore.setState((s) =>
    s.checked.some((t) => t.id === row.id) ? {} : { checked: [...s.checked, asChecked(row)] },
  );
}

export function toggleChecked(row: TicketSummary): void {
  appStore.setState((s) =>
    s.checked.some((t) => t.id === row.id)
      ? { checked: s.checked.filter((t) => t.id !== row.id) }
      : { checked: [...s.checked, asChecked(row)] },
  );
}

/** x: the current row in or out of the selection. */
export function toggleCurrent(): void {
  const at = current();
  if (at) toggleChecked(at.row);
}

/** Shift+J / Shift+K: the current row and the next (or previous) one are selected. */
export function extendSelection(delta: 1 | -1): void {
  const at = current();
  if (!at) return selectIndex(0);
  add(at.row);
  const next = appStore.getState().cache.rowAt(at.index + delta);
  if (!next) return;
  add(next);
  selectIndex(at.index + delta);
}

export const clearChecked = () => appStore.setState({ checked: [], bulkReport: null });
