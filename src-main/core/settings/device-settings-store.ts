import { join } from 'node:path';
import {
  changeDeviceSettings,
  DEFAULT_DEVICE_SETTINGS,
  StoredDeviceSettings,
  type DeviceSettings,
  type DeviceSettingsChange,
} from '../../../src-shared/bridge/device-settings';
import { readJsonFile, writeJsonFile } from '../files/json-file';

/** The file, in the app's data folder (not an account's: the choices outlive sign-outs). */
export const deviceSettingsFile = (dataDir: string) => join(dataDir, 'device-settings.json');

/**
 * This computer's choices (theme, notifications) in a small JSON file, read once and written
 * whole on each change.
 * Listeners hear every change: the Electron shell follows the theme with the window's colours.
 */
export class DeviceSettingsStore {
  private current: DeviceSettings;
  private readonly listeners = new Set<(settings: DeviceSettings) => void>();

  constructor(private readonly file: string) {
    this.current = readJsonFile(file, StoredDeviceSettings, DEFAULT_DEVICE_SETTINGS);
  }

  get(): DeviceSettings {
    return this.current;
  }

  update(change: DeviceSettingsChange): DeviceSettings {
    const next = changeDeviceSettings(this.current, change);
    writeJsonFile(this.file, next);
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
    return next;
  }

  /** Calls `listener` after each change; returns a function that stops it. */
  subscribe(listener: (settings: DeviceSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
