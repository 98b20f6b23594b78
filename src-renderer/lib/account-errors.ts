import type { BridgeFailure } from './bridge-error';

/** The account calls that need the service (email, password, export, log-ins) failing, in words. */

/** No answer from the service: the app is offline. */
export const needsConnection = (code: string) => code === 'network' || code === 'offline';

/** `what` names the action for the offline case: "Changing your email". */
export function accountErrorText(failure: BridgeFailure, what: string): string {
  switch (failure.code) {
    case 'wrong_password':
    case 'wrong_current_password':
      return 'The current password is wrong. Nothing was changed.';
    case 'already_exists':
    case 'email_taken':
      return 'Another account of your company already uses this email address. Nothing was changed.';
    case 'rate_limited':
      return 'Too many wrong passwords. Wait a few minutes, then try again.';
    default:
      return needsConnection(failure.code)
        ? `${what} needs a connection to the service. Try again when you are back online.`
        : failure.message;
  }
}
