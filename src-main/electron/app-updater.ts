import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { App, Dialog } from 'electron';
import {
  AppImageUpdater,
  DebUpdater,
  MacUpdater,
  NsisUpdater,
  PacmanUpdater,
  RpmUpdater,
  type AppUpdater,
  type Logger as UpdaterLogger,
  type ProgressInfo,
} from 'electron-updater';
import { ElectronAppAdapter } from 'electron-updater/out/ElectronAppAdapter.js';
import { updateSummary } from '../../src-shared/bridge/updates';
import type { Logger } from '../core/diagnostics/logger';
import { createTlsAgent } from '../core/net/tls-agent';
import { FeedHttpExecutor } from '../core/updates/feed-http-executor';
import { UpdateManager, type Updater } from '../core/updates/update-manager';

export interface ShellUpdatesOptions {
  app: App;
  platform: NodeJS.Platform;
  /** Electron's `process.resourcesPath` (app-update.yml and package-type are there). */
  resourcesPath: string | undefined;
  /** PEM of a CA trusted besides the system's (the demo service's, in development). */
  ca: string | null;
  /** The app's data folder (`updates.json`). */
  dataDir: string;
  log: Logger;
}

/**
 * The shell's updates: electron-updater in a packaged app that can update itself (an AppImage,
 * an NSIS install, a dmg, a deb…); otherwise they are unsupported, and the Settings say why.
 */
export function shellUpdates(options: ShellUpdatesOptions): UpdateManager {
  const { app, ca, dataDir, log } = options;
  const common = { currentVersion: app.getVersion(), dataDir, log };
  const unsupported = (unsupportedReason: string) =>
    new UpdateManager({ ...common, updater: null, unsupportedReason });
  if (!app.isPackaged) return unsupported('Development builds do not update themselves.');
  let installed: AppUpdater;
  try {
    installed = installedUpdater(app, options.platform, options.resourcesPath, log);
  } catch (error) {
    // Updates are a convenience: the app runs without them.
    log.error('updates.unavailable', { error });
    return unsupported('Updates could not start; the diagnostics log has the details.');
  }
  if (!installed.isUpdaterActive()) {
    // An AppImage run unpacked, a snap: whatever installed it updates it.
    return unsupported('This installation of Help Desk is updated by whatever installed it.');
  }
  const executor = new FeedHttpExecutor(createTlsAgent(ca === null ? {} : { ca }));
  return new UpdateManager({ ...common, updater: electronUpdater(installed, executor) });
}

/**
 * electron-updater's updater for how this copy was installed, chosen as its `autoUpdater` chooses
 * (NSIS on Windows, the dmg's on macOS; on Linux the AppImage's, unless electron-builder's
 * `package-type` file says deb, rpm or pacman), but over the `app` given: `autoUpdater` requires
 * 'electron' itself. Its log lines go to the diagnostics log.
 */
export function installedUpdater(
  app: App,
  platform: NodeJS.Platform,
  resourcesPath: string | undefined,
  log: Logger,
): AppUpdater {
  const updater = updaterOf(platform, resourcesPath, new ElectronAppAdapter(app));
  updater.logger = updaterLog(log);
  return updater;
}

function updaterOf(
  platform: NodeJS.Platform,
  resourcesPath: string | undefined,
  adapter: ElectronAppAdapter,
): AppUpdater {
  if (platform === 'win32') return new NsisUpdater(undefined, adapter);
  if (platform === 'darwin') return new MacUpdater(undefined, adapter);
  switch (packageType(resourcesPath)) {
    case 'deb':
      return new DebUpdater(undefined, adapter);
    case 'rpm':
      return new RpmUpdater(undefined, adapter);
    case 'pacman':
      return new PacmanUpdater(undefined, adapter);
    default:
      return new AppImageUpdater(undefined, adapter);
  }
}

function packageType(resourcesPath: string | undefined): string | null {
  if (resourcesPath === undefined) return null;
  try {
    return readFileSync(path.join(resourcesPath, 'package-type'), 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The menu's "Check for Updates…": checks now and says what it found; with an update ready, offers
 * to restart (`restart` closes the data first, as the renderer's button does).
 */
export async function checkFromMenu(
  updates: UpdateManager,
  dialog: Pick<Dialog, 'showMessageBox'>,
  restart: () => Promise<void>,
): Promise<void> {
  const status = await updates.check();
  const ready = status.update.state === 'ready';
  const { response } = await dialog.showMessageBox({
    type: 'info',
    title: 'Check for Updates',
    message: updateSummary(status),
    buttons: ready ? ['Restart to Update', 'Later'] : ['OK'],
    defaultId: 0,
    cancelId: ready ? 1 : 0,
  });
  if (ready && response === 0) await restart();
}

/**
 * electron-updater as the core's Updater: its generic provider reads the feed named by the
 * app-update.yml that electron-builder writes from `publish` (the help desk service's
 * /api/v1/updates/), picks the installer of this platform and checks its sha512. The core decides
 * when to download and when to install, so its own automatic download is off.
 */
export function electronUpdater(updater: AppUpdater, executor: FeedHttpExecutor): Updater {
  // electron-updater keeps its HTTP client in a field its types do not declare (its own tests set
  // it the same way). Set before the first check: the feed's provider takes it when created.
  (updater as unknown as { httpExecutor: FeedHttpExecutor }).httpExecutor = executor;
  updater.autoDownload = false;
  return {
    async check() {
      const result = await updater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo.version : null;
    },
    async download(onProgress) {
      const progress = ({ percent }: ProgressInfo) => onProgress(percent);
      updater.on('download-progress', progress);
      try {
        await updater.downloadUpdate();
      } finally {
        updater.off('download-progress', progress);
      }
    },
    install() {
      // A failure to start the installer is emitted as 'error' during the call, not thrown.
      let failure: Error | null = null;
      const failed = (error: Error) => (failure ??= error);
      updater.on('error', failed);
      try {
        updater.quitAndInstall();
      } finally {
        updater.off('error', failed);
      }
      if (failure) throw failure;
    },
  };
}

/** electron-updater's log lines into the diagnostics log (redacted like every line there). */
function updaterLog(log: Logger): UpdaterLogger {
  const line = (level: 'info' | 'warn' | 'error') => (message?: unknown) =>
    log[level]('updater', {
      message: message instanceof Error ? (message.stack ?? message.message) : String(message),
    });
  return { info: line('info'), warn: line('warn'), error: line('error') };
}
