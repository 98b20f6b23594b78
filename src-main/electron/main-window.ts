import type { BrowserWindow as BrowserWindowType, Screen } from 'electron';
import { MIN_WINDOW_SIZE, readWindowState, trackWindowState } from './window-state';

export interface MainWindowOptions {
  BrowserWindow: typeof BrowserWindowType;
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
  /** The bundled preload (dist/preload.cjs). */
  preloadPath: string;
  /** userData/window-state.json */
  stateFile: string;
  /** app://helpdesk/, or the dev server in an unpackaged app (shell-config.ts). */
  url: string;
  /** Shown until the renderer paints: the theme's background (window-theme.ts). */
  backgroundColor: string;
}

/**
 * The one main window, where it was last time, shown once its first paint is ready. Its
 * webPreferences follow Electron's security checklist: an isolated, sandboxed renderer without
 * Node, web security on, no webview; its only way out is the preload's bridge. They are written
 * out in the constructor call so that Electronegativity's static checks can see them.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindowType {
  const { BrowserWindow } = options;
  const state = readWindowState(options.stateFile, options.screen);
  const window = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Help Desk',
    show: false,
    backgroundColor: options.backgroundColor,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // Middle-click opens links in a new window; window.open is denied anyway (security.ts).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) window.maximize();
  trackWindowState(window, options.stateFile);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
