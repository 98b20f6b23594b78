import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'electron';
import { UPDATES_PREFIX } from '../../src-server/routes/update-routes';

/**
 * What electron-updater needs of an installed app, without the Electron binary: a stand-in for
 * Electron's `app` (as electron-updater's ElectronAppAdapter reads it), the resources folder
 * electron-builder fills (app-update.yml naming the feed, package-type for a deb) and the cache
 * folder downloads go to. `process.resourcesPath` and XDG_CACHE_HOME are how Electron and the OS
 * name those two; `uninstall` puts them back.
 */
export interface InstalledApp {
  app: App;
  resources: string;
  /** Where electron-updater keeps a downloaded update before installing it. */
  pendingDir: string;
  /** How often the updater asked the app to quit. */
  quits: () => number;
  uninstall(): void;
}

/** The `updaterCacheDirName` electron-builder writes into app-update.yml (package name + -updater). */
export const UPDATER_CACHE_DIR = 'helpdesk-desktop-updater';

export function installApp(version: string, feedOrigin: string): InstalledApp {
  const base = mkdtempSync(join(tmpdir(), 'helpdesk-installed-'));
  const resources = join(base, 'resources');
  const cache = join(base, 'cache');
  const userData = join(base, 'userData');
  for (const dir of [resources, cache, userData]) mkdirSync(dir);
  // As electron-builder writes them from electron-builder.yml's `publish` and the deb target.
  writeFileSync(
    join(resources, 'app-update.yml'),
    [
      'provider: generic',
      `url: ${feedOrigin}${UPDATES_PREFIX}/`,
      'useMultipleRangeRequest: false',
      `updaterCacheDirName: ${UPDATER_CACHE_DIR}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(resources, 'package-type'), 'deb');
  const cacheBefore = process.env['XDG_CACHE_HOME'];
  Object.defineProperty(process, 'resourcesPath', { value: resources, configurable: true });
  process.env['XDG_CACHE_HOME'] = cache;
  let quits = 0;
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    getVersion: () => version,
    getName: () => 'Help Desk',
    getAppPath: () => join(resources, 'app.asar'),
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return userData;
    },
    whenReady: () => Promise.resolve(),
    quit: () => void quits++,
    relaunch: () => undefined,
  });
  return {
    app: app as unknown as App,
    resources,
    pendingDir: join(cache, UPDATER_CACHE_DIR, 'pending'),
    quits: () => quits,
    uninstall() {
      if (cacheBefore === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = cacheBefore;
      rmSync(base, { recursive: true, force: true });
    },
  };
}
