import {
  changeDeviceSettings,
  nextTheme,
  THEME_LABELS,
  type DeviceSettingsChange,
} from '../../src-shared/bridge/device-settings';
import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { appStore } from '../state/store';

/** This computer's choices: theme and notifications (kept by the main process). */

export async function loadDeviceSettings(): Promise<void> {
  try {
    appStore.setState({ deviceSettings: await helpdesk().getDeviceSettings({}) });
  } catch {
    // Nothing to tell: meanwhile the theme is the OS's and every notice comes, the defaults.
  }
}

/**
 * Saves a change at once; answers the error to show, or null. The screen shows the choice before
 * the main process answers (a control that lags its click reads as broken); on a refusal the
 * main process's settings come back.
 */
export async function updateDeviceSettings(change: DeviceSettingsChange): Promise<string | null> {
  const shown = appStore.getState().deviceSettings;
  if (shown) appStore.setState({ deviceSettings: changeDeviceSettings(shown, change) });
  try {
    appStore.setState({ deviceSettings: await helpdesk().updateDeviceSettings(change) });
    return null;
  } catch (error) {
    await loadDeviceSettings();
    return parseBridgeError(error).message;
  }
}

/** Shift+L: the next theme of System → Light → Dark, said in the notice. */
export async function cycleTheme(): Promise<void> {
  const theme = nextTheme(appStore.getState().deviceSettings?.theme ?? 'system');
  const problem = await updateDeviceSettings({ theme });
  appStore.setState({ notice: problem ?? `Theme: ${THEME_LABELS[theme]}` });
}

const HOUR_MS = 3_600_000;

/** Do not disturb: no desktop notification for the next `hours`. */
export const quietFor = (hours: number): Promise<string | null> =>
  updateDeviceSettings({
    notifications: { quietUntil: new Date(Date.now() + hours * HOUR_MS).toISOString() },
  });
