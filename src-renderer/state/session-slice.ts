import type { AccountSummary, AppInfo, SessionInfo } from '../../src-shared/bridge/contract';

/** Who is signed in, and the app-wide moments around it (start, sign-in again, sign-out). */
export interface SessionSlice {
  appInfo: AppInfo | null;
  session: SessionInfo | null;
  /** getAppInfo and getSession have answered: the first screen can be chosen. */
  started: boolean;
  /** This replica has finished a sync before (a restored session counts). */
  everSynced: boolean;
  /** The service ended the session: the sign-in form is shown again over the workspace. */
  reauth: boolean;
  /** signOut answered that this many changes would be lost: the confirm dialog is open. */
  signOutPending: number | null;
  /** A short message about the last action (undo, a failed call), for everyone to read. */
  notice: string | null;
  /** Every signed-in account, with its counts (the switcher). */
  accounts: AccountSummary[];
  /** The sign-in form is open to add another account, over the current one. */
  addingAccount: boolean;
}

export const initialSession = (): SessionSlice => ({
  appInfo: null,
  session: null,
  started: false,
  everSynced: false,
  reauth: false,
  signOutPending: null,
  notice: null,
  accounts: [],
  addingAccount: false,
});
