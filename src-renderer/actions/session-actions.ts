import type { SessionInfo, SignInInput } from '../../src-shared/bridge/contract';
import { isNewerSnapshot, type SentSyncSnapshot } from '../../src-shared/bridge/sync-status';
import { helpdesk } from '../bridge';
import { parseBridgeError, signInErrorText } from '../lib/bridge-error';
import { appStore, resetAfterSignOut, resetForAccount } from '../state/store';
import { loadList, refreshCounts, reloadList, resetList } from './list-actions';
import { loadUsers } from './ticket-actions';

/** Start-up, sign-in, sign-out and the sync status. */

/** Shows a snapshot unless a newer one is on screen already (an answer overtaken by events). */
export function applySnapshot(sync: SentSyncSnapshot): void {
  const shown = appStore.getState();
  if (!isNewerSnapshot(sync, shown.sync)) return;
  const firstSynced = !shown.everSynced && sync.status.state === 'idle';
  appStore.setState({ sync, everSynced: shown.everSynced || firstSynced });
  // The list asked for during the first download holds part of the tenant: the workspace this
  // opens starts with the whole, not with those rows until the next refresh (a click could land
  // on a row that then moves away).
  if (firstSynced) reloadList();
}

async function loadSyncStatus(): Promise<void> {
  try {
    applySnapshot(await helpdesk().getSyncStatus({}));
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
  }
}

/** Everything the workspace shows, asked for at once: the first rows wait for nothing else. */
export async function loadWorkspace(): Promise<void> {
  loadList();
  await Promise.all([loadSyncStatus(), refreshCounts(), loadUsers()]);
}

export async function startApp(): Promise<void> {
  try {
    const [appInfo, session, accounts] = await Promise.all([
      helpdesk().getAppInfo({}),
      helpdesk().getSession({}),
      helpdesk().listAccounts({}),
    ]);
    // A session from an earlier run has a replica to show, offline included.
    appStore.setState({ appInfo, session, accounts, started: true, everSynced: session !== null });
    if (session) await loadWorkspace();
  } catch (error) {
    appStore.setState({ started: true, notice: parseBridgeError(error).message });
  }
}

/** Signs in; answers the error to show, or null. */
export async function signIn(input: SignInInput): Promise<string | null> {
  try {
    const session = await helpdesk().signIn(input);
    appStore.setState({ session, reauth: false });
  } catch (error) {
    return signInErrorText(parseBridgeError(error));
  }
  await loadWorkspace();
  return null;
}

/** The service ended the session: show the sign-in form (again), or leave it. */
export const setReauth = (reauth: boolean) => appStore.setState({ reauth });

/**
 * Signs out. When changes would be lost, the service answers how many: the confirm dialog opens,
 * and only its "discard" calls again with discardPending.
 */
export async function signOut(discardPending = false): Promise<void> {
  try {
    const result = await helpdesk().signOut({ discardPending });
    if (result.status === 'pending-changes') {
      appStore.setState({ signOutPending: result.pending });
      return;
    }
  } catch (error) {
    appStore.setState({ signOutPending: null, notice: parseBridgeError(error).message });
    return;
  }
  // Other accounts stay signed in: the service has made one of them the active one.
  const next = await helpdesk()
    .getSession({})
    .catch(() => null);
  if (next) return showAccount(next);
  resetList();
  resetAfterSignOut();
}

const sameAccount = (a: SessionInfo, b: SessionInfo) =>
  a.serverUrl === b.serverUrl && a.tenant.id === b.tenant.id && a.user.id === b.user.id;

/**
 * Shows an account, unless it is the one shown: nothing of the last one stays on screen.
 * `everSynced`: its replica was filled before (false for an account just added).
 */
export async function showAccount(session: SessionInfo, everSynced = true): Promise<void> {
  const shown = appStore.getState().session;
  if (shown && sameAccount(shown, session)) return;
  resetList();
  resetForAccount(session, everSynced);
  await loadWorkspace();
}

export const cancelSignOut = () => appStore.setState({ signOutPending: null });

export async function syncNow(): Promise<void> {
  try {
    applySnapshot(await helpdesk().syncNow({}));
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
  }
}

export const dismissNotice = () => appStore.setState({ notice: null });
