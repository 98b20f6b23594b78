import type { AccountExportFile } from '../../src-shared/bridge/contract';
import { helpdesk } from '../bridge';
import { accountErrorText } from '../lib/account-errors';
import { parseBridgeError } from '../lib/bridge-error';
import { appStore } from '../state/store';
import { loadAccount } from './settings-actions';

/**
 * The account calls that go to the service at once (never through the outbox): the current
 * password they carry is passed through and kept nowhere. Each answers the error to show, or null.
 */

export async function changeEmail(
  newEmail: string,
  currentPassword: string,
): Promise<string | null> {
  try {
    const session = await helpdesk().changeEmail({ newEmail, currentPassword });
    appStore.setState({ session, notice: `Your email address is now ${session.user.email}.` });
  } catch (error) {
    return accountErrorText(parseBridgeError(error), 'Changing your email');
  }
  await loadAccount();
  return null;
}

export async function changePassword(
  currentPassword: string,
  newPassword: string,
): Promise<string | null> {
  try {
    await helpdesk().changePassword({ currentPassword, newPassword });
    return null;
  } catch (error) {
    return accountErrorText(parseBridgeError(error), 'Changing your password');
  }
}

export async function exportMyData(): Promise<
  { file: AccountExportFile; error: null } | { file: null; error: string }
> {
  try {
    return { file: await helpdesk().exportMyData({}), error: null };
  } catch (error) {
    return { file: null, error: accountErrorText(parseBridgeError(error), 'Exporting your data') };
  }
}
