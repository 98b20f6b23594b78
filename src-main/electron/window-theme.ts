import type { BrowserWindow, NativeTheme } from 'electron';
import type { DeviceSettings } from '../../src-shared/bridge/device-settings';
import type { DeviceSettingsStore } from '../core/settings/device-settings-store';

/** The window's colour before the renderer paints (no white flash in dark): styles.css's --bg. */
export const WINDOW_BACKGROUND = { light: '#ffffff', dark: '#0d1117' } as const;

type Theming = Pick<NativeTheme, 'themeSource' | 'shouldUseDarkColors' | 'on' | 'off'>;

export const windowBackground = (nativeTheme: Pick<NativeTheme, 'shouldUseDarkColors'>) =>
  nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;

/**
 * Follows the theme chosen in the settings: Electron's own (menus, dialogs, and the renderer's
 * `prefers-color-scheme`) and the window's background, which also follows the OS in `system`.
 * Returns a function that stops following.
 */
export function followTheme(
  nativeTheme: Theming,
  settings: Pick<DeviceSettingsStore, 'get' | 'subscribe'>,
  windows: () => readonly Pick<BrowserWindow, 'setBackgroundColor'>[],
): () => void {
  const paint = () => {
    for (const window of windows()) window.setBackgroundColor(windowBackground(nativeTheme));
  };
  const apply = ({ theme }: DeviceSettings) => {
    nativeTheme.themeSource = theme;
    paint();
  };
  apply(settings.get());
  const stop = settings.subscribe(apply);
  nativeTheme.on('updated', paint);
  return () => {
    stop();
    nativeTheme.off('updated', paint);
  };
}
