import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import type { SettingsTab } from '../lib/settings-tabs';
import type { LoginScope } from '../state/settings-slice';
import { appStore } from '../state/store';

/**
 * The settings screen: opening it, its sections, and reading what it shows. The records come
 * from the replica (offline too) and are read again at each sync step, so a field turns from
 * Pending to Confirmed as the service confirms it; the log-in history is the service's.
 */

let accountRequest = 0;
let loginsRequest = 0;
/** Changes of the records begun so far, and those not answered yet. */
let writesBegun = 0;
let writesInFlight = 0;

export async function loadAccount(): Promise<void> {
  const request = ++accountRequest;
  const writesBefore = writesBegun;
  try {
    const [profile, company, preferences] = await Promise.all([
      helpdesk().getProfile({}),
      helpdesk().getCompany({}),
      helpdesk().getPreferences({}),
    ]);
    // A read that overlapped a change may predate it: the read after the change tells.
    const current = writesInFlight === 0 && writesBegun === writesBefore;
    if (request === accountRequest && current)
      appStore.setState({
        profile,
        company,
        preferences,
        accountLoaded: true,
        accountError: null,
      });
  } catch (error) {
    if (request === accountRequest)
      appStore.setState({ accountError: parseBridgeError(error).message });
  }
}

/**
 * Runs a change of the records (a mutation on the replica), then reads them again. Reads answered
 * meanwhile are dropped, so what the screen already shows of the change is not undone by them.
 */
export async function changingAccount<T>(change: () => Promise<T>): Promise<T> {
  writesBegun++;
  writesInFlight++;
  try {
    return await change();
  } finally {
    writesInFlight--;
    await loadAccount();
  }
}

/** Asks the service for the log-in history of `scope` (the last one asked, by default). */
export async function loadLogins(
  scope: LoginScope = appStore.getState().loginScope,
): Promise<void> {
  const request = ++loginsRequest;
  appStore.setState((s) => ({
    loginScope: scope,
    loginsLoading: true,
    // Another scope's rows would show under the wrong columns until the answer comes.
    ...(s.loginScope === scope ? {} : { logins: null, loginsError: null }),
  }));
  try {
    const logins = await helpdesk().listLoginHistory({ scope });
    if (request === loginsRequest)
      appStore.setState({ logins, loginsError: null, loginsLoading: false });
  } catch (error) {
    if (request === loginsRequest)
      appStore.setState({ loginsError: parseBridgeError(error), loginsLoading: false });
  }
}

export function selectSettingsTab(tab: SettingsTab): void {
  appStore.setState({ settingsTab: tab });
  if (tab === 'logins') void loadLogins();
}

export function openSettings(): void {
  appStore.setState({ settingsOpen: true });
  void loadAccount();
  if (appStore.getState().settingsTab === 'logins') void loadLogins();
}

export const closeSettings = () => appStore.setState({ settingsOpen: false });
