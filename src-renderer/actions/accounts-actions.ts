import type { AccountSummary, SignInInput } from '../../src-shared/bridge/contract';
import { helpdesk } from '../bridge';
import { parseBridgeError, signInErrorText } from '../lib/bridge-error';
import { appStore } from '../state/store';
import { showAccount } from './session-actions';

/** Several accounts: the switcher's list, switching between them, adding one. */

const sessionOf = ({ serverUrl, tenant, user }: AccountSummary) => ({ serverUrl, tenant, user });

/**
 * The `accounts` event: the list with its counts and, when another account became the active one
 * without the renderer asking (the shown one signed out or deactivated), that account on screen.
 */
export function applyAccounts(accounts: AccountSummary[]): void {
  appStore.setState({ accounts });
  const active = accounts.find((account) => account.active);
  const { session, addingAccount } = appStore.getState();
  // While adding, the new account is shown once its sign-in has answered.
  if (active && session && !addingAccount) void showAccount(sessionOf(active));
}

export async function switchAccount(id: string): Promise<void> {
  try {
    await showAccount(await helpdesk().switchAccount({ id }));
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
  }
}

/** Ctrl/⌘ and the account's number (1 to 9, in the switcher's order). */
export function switchToAccountAt(index: number): void {
  const account = appStore.getState().accounts[index];
  if (!account) {
    appStore.setState({ notice: `There is no account ${index + 1}.` });
    return;
  }
  if (!account.active) void switchAccount(account.id);
}

/** The sign-in form, to add another account; the ones signed in stay signed in. */
export const startAddingAccount = () => appStore.setState({ addingAccount: true });
export const cancelAddingAccount = () => appStore.setState({ addingAccount: false });

/** Signs in to another account, which is shown then; answers the error to show, or null. */
export async function addAccount(input: SignInInput): Promise<string | null> {
  try {
    const session = await helpdesk().addAccount(input);
    appStore.setState({ addingAccount: false });
    await showAccount(session, false);
    return null;
  } catch (error) {
    return signInErrorText(parseBridgeError(error));
  }
}
