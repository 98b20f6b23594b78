import { helpdesk } from '../bridge';
import { appStore } from '../state/store';
import { applyAccounts } from './accounts-actions';
import { refreshCounts, refreshList } from './list-actions';
import { openTicketFor, receiveNotices } from './notification-actions';
import { applySnapshot } from './session-actions';
import { loadAccount } from './settings-actions';
import { followUpdates } from './update-actions';
import { loadMacros, loadUsers, reloadTicket } from './ticket-actions';

/** The replica changes in bursts (each sync step says so): the lists re-query once per burst. */
const DEBOUNCE_MS = 100;

/** Ticket ids changed since the last refresh; null: anything may have (a pull). */
let changed: Set<string> | null = new Set();
let timer: ReturnType<typeof setTimeout> | null = null;
let accountTimer: ReturnType<typeof setTimeout> | null = null;

function flush(): void {
  timer = null;
  const ids = changed;
  changed = new Set();
  const { session, openId, dialog } = appStore.getState();
  if (!session) return;
  refreshList();
  void refreshCounts();
  if (openId !== null && (ids === null || ids.has(openId))) void reloadTicket();
  if (ids === null) void loadUsers();
  // A macro an admin saves while the picker is open shows up in it.
  if (ids === null && dialog === 'macro') void loadMacros();
}

function onReplicaChanged(ticketIds: string[] | null): void {
  if (ticketIds === null) changed = null;
  else if (changed !== null) for (const id of ticketIds) changed.add(id);
  timer ??= setTimeout(flush, DEBOUNCE_MS);
}

/** The settings screen's records: read again once per burst while it is open. */
function onAccountMayHaveChanged(): void {
  accountTimer ??= setTimeout(() => {
    accountTimer = null;
    const { session, settingsOpen } = appStore.getState();
    if (session && settingsOpen) void loadAccount();
  }, DEBOUNCE_MS);
}

/** Follows the bridge's events for as long as the app runs; answers the unsubscribe. */
export function startLive(): () => void {
  const offSync = helpdesk().on('syncStatus', (snapshot) => {
    applySnapshot(snapshot);
    onAccountMayHaveChanged();
  });
  const offReplica = helpdesk().on('replicaChanged', ({ ticketIds }) => {
    onReplicaChanged(ticketIds);
    onAccountMayHaveChanged();
  });
  const offNewWork = helpdesk().on('newWork', ({ notices }) => receiveNotices(notices));
  // The Electron shell: the agent clicked a native notification about this ticket.
  const offOpen = helpdesk().on('openTicket', ({ ticketId }) => openTicketFor(ticketId));
  const offAccounts = helpdesk().on('accounts', applyAccounts);
  const offUpdates = followUpdates();
  return () => {
    offSync();
    offReplica();
    offNewWork();
    offOpen();
    offAccounts();
    offUpdates();
    for (const pending of [timer, accountTimer]) if (pending !== null) clearTimeout(pending);
    timer = null;
    accountTimer = null;
  };
}
