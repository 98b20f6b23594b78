import type { UpdateStatus } from '../../src-shared/bridge/updates';

/** The app's own updates: for this computer, not an account, so a sign-out keeps them. */
export interface UpdatesSlice {
  /** As the main process last reported it; null until it has. */
  updates: UpdateStatus | null;
  /** "Restart to update" was pressed: the app is closing its data to install the update. */
  restartingToUpdate: boolean;
}

export const initialUpdates = (): UpdatesSlice => ({ updates: null, restartingToUpdate: false });
