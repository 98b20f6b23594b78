import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Electron from 'electron';
import { desktopNotificationsNow } from '../../src-shared/bridge/device-settings';
import { KeytarCredentialStore } from '../core/credentials/keytar-credential-store';
import { createLogger } from '../core/diagnostics/logger';
import { RotatingLog } from '../core/diagnostics/rotating-log';
import { HelpdeskService } from '../core/services/helpdesk-service';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './app-protocol';
import { checkFromMenu, shellUpdates } from './app-updater';
import { installFatalErrorHandlers } from './fatal-error';
import {
  clearingCachesOnSignOut,
  forwardEvents,
  registerBridge,
  sendEvent,
  trustedSenderFor,
} from './ipc';
import { createMainWindow } from './main-window';
import { menuTemplate } from './menu';
import { showNotices } from './notifications';
import { startOnlineMonitor } from './online-monitor';
import { applyAppSecurity, applySessionSecurity } from './security';
import { readShellConfig, rendererUrlCheck } from './shell-config';
import { followTheme, windowBackground } from './window-theme';

/** The parts of Electron the shell uses, passed in so tests can give a stand-in. */
export type ShellElectron = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'dialog'
  | 'ipcMain'
  | 'Menu'
  | 'nativeTheme'
  | 'net'
  | 'Notification'
  | 'powerMonitor'
  | 'protocol'
  | 'screen'
  | 'session'
  | 'shell'
>;

export interface ShellHost {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  process: Pick<NodeJS.Process, 'on'>;
  /** Electron's `process.resourcesPath` (main.ts): where electron-builder puts app-update.yml. */
  resourcesPath?: string;
}

/** Where the build puts the preload and the renderer, inside the app (or app.asar). */
export const PRELOAD_FILE = 'dist/preload.cjs';
export const RENDERER_DIR = 'dist/renderer';

/**
 * The main process from start to quit: one instance, the security settings, the core service
 * behind the bridge, the window, notifications and the network monitor; on quit, the service is
 * closed (the replica flushed) before the process ends.
 */
export function startApp(electron: ShellElectron, host: ShellHost): void {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    // Another instance runs: it gets a 'second-instance' event and comes to the front.
    app.quit();
    return;
  }
  const userData = app.getPath('userData');
  // One log for the core and for crashes: "Copy diagnostics" reports both.
  const diagnostics = new RotatingLog({ dir: path.join(userData, 'logs') });
  const fatal = installFatalErrorHandlers({
    process: host.process,
    dialog: electron.dialog,
    app,
    log: createLogger(diagnostics),
    logFile: diagnostics.fileOf(0),
  });
  const config = readShellConfig(host.env, app.isPackaged);
  const isRendererUrl = rendererUrlCheck(config.devOrigin);
  electron.protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
  applyAppSecurity(app, isRendererUrl, (url) => void electron.shell.openExternal(url));

  let service: HelpdeskService | null = null;
  let window: Electron.BrowserWindow | null = null;
  const stops: (() => void)[] = [];

  const openWindow = (running: HelpdeskService) => {
    const created = createMainWindow({
      BrowserWindow: electron.BrowserWindow,
      screen: electron.screen,
      preloadPath: path.join(app.getAppPath(), PRELOAD_FILE),
      stateFile: path.join(userData, 'window-state.json'),
      url: config.rendererUrl,
      backgroundColor: windowBackground(electron.nativeTheme),
    });
    const stopForwarding = forwardEvents(running, created.webContents);
    fatal.watch(created.webContents);
    created.on('closed', () => {
      stopForwarding();
      if (window === created) window = null;
    });
    window = created;
    return created;
  };

  const bringToFront = () => {
    if (!service) return;
    const existing = window;
    const shown = existing ?? openWindow(service);
    if (shown.isMinimized()) shown.restore();
    shown.show();
    shown.focus();
    return { shown, fresh: existing === null };
  };

  /**
   * A notification's click: the window to the front, and the renderer opens the ticket. A window
   * opened by the click (macOS keeps the app without one) starts on its list: its renderer is not
   * listening yet.
   */
  const openFromNotification = (ticketId: string | null) => {
    const front = bringToFront();
    if (front && !front.fresh && ticketId !== null) {
      sendEvent(front.shown.webContents, 'openTicket', { ticketId });
    }
  };

  const ready = async () => {
    registerAppProtocol(electron.protocol, path.join(app.getAppPath(), RENDERER_DIR));
    applySessionSecurity(electron.session.defaultSession, config.devOrigin);
    const dataDir = path.join(userData, 'data');
    const demoCa = config.demoCaFile === null ? null : readFileSync(config.demoCaFile, 'utf8');
    const updates = shellUpdates({
      app,
      platform: host.platform,
      resourcesPath: host.resourcesPath,
      ca: demoCa,
      dataDir,
      log: createLogger(diagnostics),
    });
    const checkForUpdates = () =>
      void checkFromMenu(updates, electron.dialog, async () => {
        await service?.invoke('restartToUpdate', {});
      }).catch((error: unknown) =>
        electron.dialog.showErrorBox(
          'Check for Updates',
          error instanceof Error ? error.message : String(error),
        ),
      );
    electron.Menu.setApplicationMenu(
      electron.Menu.buildFromTemplate(
        menuTemplate({ platform: host.platform, isPackaged: app.isPackaged, checkForUpdates }),
      ),
    );
    app.setAboutPanelOptions({
      applicationName: 'Help Desk',
      applicationVersion: app.getVersion(),
    });
    const running = new HelpdeskService({
      dataDir,
      credentials: new KeytarCredentialStore(),
      appInfo: {
        version: app.getVersion(),
        shell: 'electron',
        signInDefaults: config.signInDefaults,
      },
      diagnostics,
      updates,
      ...(demoCa === null ? {} : { clientOptions: { ca: demoCa } }),
    });
    service = running;
    registerBridge(
      electron.ipcMain,
      clearingCachesOnSignOut(running, electron.session.defaultSession),
      trustedSenderFor(isRendererUrl),
    );
    stops.push(
      followTheme(electron.nativeTheme, running.deviceSettings, () => (window ? [window] : [])),
    );
    await running.restore();
    openWindow(running);
    stops.push(updates.start());
    stops.push(
      running.on('newWork', ({ notices }) => {
        if (!desktopNotificationsNow(running.deviceSettings.get().notifications, new Date()))
          return;
        showNotices(electron.Notification, notices, openFromNotification);
      }),
    );
    stops.push(
      startOnlineMonitor({
        isOnline: () => electron.net.isOnline(),
        powerMonitor: electron.powerMonitor,
        onNetworkUp: () => running.networkUp(),
      }),
    );
  };

  app.on('second-instance', bringToFront);
  app.on('activate', () => {
    // macOS keeps the app running without windows; clicking its Dock icon opens one again.
    if (service && window === null) openWindow(service);
  });
  app.on('window-all-closed', () => {
    if (host.platform !== 'darwin') app.quit();
  });

  let quitting: 'no' | 'closing' | 'closed' = 'no';
  app.on('before-quit', (event) => {
    if (quitting === 'closed') return;
    event.preventDefault();
    if (quitting === 'closing') return;
    quitting = 'closing';
    stops.splice(0).forEach((stop) => stop());
    void (service?.close() ?? Promise.resolve())
      // Quitting regardless: every replica write is a committed transaction already.
      .catch(() => undefined)
      .then(() => {
        quitting = 'closed';
        app.quit();
      });
  });

  app.whenReady().then(ready).catch(fatal.fail);
}
