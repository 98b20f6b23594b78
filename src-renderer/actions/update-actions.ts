import { updateSummary, type UpdateStatus } from '../../src-shared/bridge/updates';
import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { appStore } from '../state/store';

/** The app's own updates: the status follows the main process; the rest are the person's asks. */

const apply = (updates: UpdateStatus) => appStore.setState({ updates });

/** Reads the status once and follows its changes; answers the unsubscribe. */
export function followUpdates(): () => void {
  void helpdesk()
    .getUpdateStatus({})
    .then(apply, () => undefined);
  return helpdesk().on('updateStatus', apply);
}

/** Each answers null, or what went wrong. */
async function attempt(run: () => Promise<UpdateStatus>): Promise<string | null> {
  try {
    apply(await run());
    return null;
  } catch (error) {
    return parseBridgeError(error).message;
  }
}

/** "Check for updates": checks now and tells what it found (a download goes on by itself). */
export async function checkForUpdates(): Promise<void> {
  const failure = await attempt(() => helpdesk().checkForUpdates({}));
  const { updates } = appStore.getState();
  appStore.setState({ notice: failure ?? (updates ? updateSummary(updates) : null) });
}

export const downloadUpdate = () => attempt(() => helpdesk().downloadUpdate({}));

/** Shown at once, like every switch in Settings; a refusal brings the main process's value back. */
export async function setAutoDownload(autoDownload: boolean): Promise<string | null> {
  const shown = appStore.getState().updates;
  if (shown) apply({ ...shown, autoDownload });
  const failure = await attempt(() => helpdesk().setUpdatePreferences({ autoDownload }));
  const now = appStore.getState().updates;
  if (failure && shown && now) apply({ ...now, autoDownload: shown.autoDownload });
  return failure;
}

/**
 * "Restart to update": the main process closes the data (changes not sent yet stay queued, and
 * the new version sends them), then quits and installs. If it cannot, the app goes on.
 */
export async function restartToUpdate(): Promise<string | null> {
  appStore.setState({ restartingToUpdate: true });
  try {
    await helpdesk().restartToUpdate({});
    return null;
  } catch (error) {
    appStore.setState({ restartingToUpdate: false });
    return parseBridgeError(error).message;
  }
}
