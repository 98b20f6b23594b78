import type { DeviceSettings } from '../../src-shared/bridge/device-settings';

/** This computer's choices (theme, notifications): they stay across sign-outs. */
export interface DeviceSlice {
  /** Null until the main process has answered (the theme is the OS's meanwhile). */
  deviceSettings: DeviceSettings | null;
}

export const initialDevice = (): DeviceSlice => ({ deviceSettings: null });
