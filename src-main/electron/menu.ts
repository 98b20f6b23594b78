import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Reload and the developer tools are for development only. */
  isPackaged: boolean;
  /** "Check for Updates…" in Help runs this (the shell's updates). */
  checkForUpdates?: () => void;
}

/** The application menu: Electron's standard roles, so every platform gets its native items. */
export function menuTemplate({
  platform,
  isPackaged,
  checkForUpdates,
}: MenuOptions): MenuItemConstructorOptions[] {
  const development: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ];
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...development,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        ...(checkForUpdates
          ? [{ label: 'Check for Updates…', click: () => checkForUpdates() }]
          : []),
        { role: 'about', label: 'About Help Desk' },
      ],
    },
  ];
}
