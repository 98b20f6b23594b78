import type { SyncSnapshot } from '../../src-shared/bridge/sync-status';

export type Screen = 'loading' | 'sign-in' | 'setup' | 'workspace' | 'settings';

export interface ScreenInputs {
  started: boolean;
  signedIn: boolean;
  reauth: boolean;
  sync: SyncSnapshot | null;
  everSynced: boolean;
  /** The agent opened the settings from the workspace. */
  settingsOpen: boolean;
  /** The agent is adding another account (the sign-in form, the others staying signed in). */
  addingAccount: boolean;
}

/**
 * Which screen the app shows. The setup screen (initial sync) covers the first download, and
 * the moments before it starts when this replica has never finished a sync.
 */
export function chooseScreen({
  started,
  signedIn,
  reauth,
  sync,
  everSynced,
  settingsOpen,
  addingAccount,
}: ScreenInputs): Screen {
  if (!started) return 'loading';
  if (!signedIn || reauth || addingAccount) return 'sign-in';
  const state = sync?.status.state ?? 'connecting';
  if (state === 'initial-sync' || (state === 'connecting' && !everSynced)) return 'setup';
  return settingsOpen ? 'settings' : 'workspace';
}
