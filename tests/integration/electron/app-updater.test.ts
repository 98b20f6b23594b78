import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../../src-shared/bridge/updates';
import { NO_LOG } from '../../../src-main/core/diagnostics/logger';
import { createTlsAgent } from '../../../src-main/core/net/tls-agent';
import { FeedHttpExecutor } from '../../../src-main/core/updates/feed-http-executor';
import { UpdateManager } from '../../../src-main/core/updates/update-manager';
import {
  checkFromMenu,
  electronUpdater,
  installedUpdater,
  shellUpdates,
} from '../../../src-main/electron/app-updater';
import { answeredStatuses, TempDirs, waitFor } from '../../support/sync-harness';
import { startTestServer, type TestServer } from '../../support/test-server';
import { channelFile, publishRelease, sha512Of } from '../../support/update-feed';
import { installApp as install, type InstalledApp } from '../../support/installed-app';

/**
 * electron-updater's own code (its deb updater, generic provider, download and sha512 check)
 * driven by the core's UpdateManager against the real service's feed over HTTPS, trusting the
 * service's test CA through FeedHttpExecutor (certificate checks on). Only the Electron binary is a
 * stand-in: the app object it would give, and installing (which replaces the binary).
 */

vi.mock('electron', () => {
  throw new Error('the updater must not import electron at runtime');
});

const dirs = new TempDirs();
let feedDir: string;
let t: TestServer;

beforeAll(async () => {
  feedDir = dirs.make('helpdesk-feed-');
  t = await startTestServer({ updatesDir: feedDir });
});
const apps: InstalledApp[] = [];
const installApp = (version: string, feedOrigin: string) => {
  const app = install(version, feedOrigin);
  apps.push(app);
  return app;
};
afterEach(() => apps.splice(0).forEach((app) => app.uninstall()));
afterAll(async () => {
  await t?.close();
  dirs.cleanup();
});

interface UpdatesOptions {
  ca?: string;
  /** In place of running the installer, which replaces the Electron binary. */
  install?: () => void;
  schedule?: { firstCheckMs: number; checkEveryMs: number };
}

function updatesOf(installed: InstalledApp, options: UpdatesOptions = {}) {
  const updater = installedUpdater(installed.app, 'linux', installed.resources, NO_LOG);
  const executor = new FeedHttpExecutor(createTlsAgent({ ca: options.ca ?? t.ca }));
  const dataDir = dirs.make('helpdesk-updates-data-');
  const real = electronUpdater(updater, executor);
  const manager = new UpdateManager({
    currentVersion: installed.app.getVersion(),
    updater: options.install ? { ...real, install: options.install } : real,
    dataDir,
    ...options.schedule,
  });
  const seen: UpdateStatus[] = [];
  manager.subscribe((status) => seen.push(status));
  return { updater, manager, seen, dataDir };
}

const feedRequests = () =>
  answeredStatuses(t.logs, `/api/v1/updates/${channelFile()}`).filter((s) => s === 200).length;

describe('electron-updater over the service feed', () => {
  it('picks the deb updater for a deb install, active because the app is packaged', () => {
    const installed = installApp('1.0.0', t.server.url);
    const updater = installedUpdater(installed.app, 'linux', installed.resources, NO_LOG);
    expect(updater.constructor.name).toBe('DebUpdater');
    expect(updater.isUpdaterActive()).toBe(true);
  });

  it('finds nothing newer when the feed offers this very version', async () => {
    publishRelease(feedDir, '1.0.0');
    const installed = installApp('1.0.0', t.server.url);
    const { manager } = updatesOf(installed);
    const before = feedRequests();
    const status = await manager.check();
    expect(status.update).toEqual({ state: 'idle' });
    expect(status.lastCheckedAt).not.toBeNull();
    expect(feedRequests()).toBe(before + 1);
  });

  it('downloads a newer version in the background, checks its sha512, and says it is ready', async () => {
    const release = publishRelease(feedDir, '1.1.0', { size: 3 * 1024 * 1024 });
    const installed = installApp('1.0.0', t.server.url);
    const { manager, seen } = updatesOf(installed);
    const checked = await manager.check();
    // The check answers at once; the download goes on after it.
    expect(checked.update).toEqual({ state: 'downloading', version: '1.1.0', percent: 0 });
    await waitFor('the download', async () => manager.status().update.state === 'ready');
    expect(manager.status().update).toEqual({ state: 'ready', version: '1.1.0' });
    const downloaded = readFileSync(join(installed.pendingDir, release.file));
    expect(sha512Of(downloaded)).toBe(release.sha512);
    expect(seen.map((s) => s.update.state)).toEqual(
      expect.arrayContaining(['checking', 'downloading', 'ready']),
    );
    expect(seen.at(-1)!.update).toEqual({ state: 'ready', version: '1.1.0' });
  });

  it('with automatic downloads off, waits to be asked, then downloads', async () => {
    publishRelease(feedDir, '1.2.0');
    const installed = installApp('1.0.0', t.server.url);
    const { manager } = updatesOf(installed);
    await manager.setAutoDownload(false);
    expect((await manager.check()).update).toEqual({ state: 'available', version: '1.2.0' });
    expect(existsSync(installed.pendingDir)).toBe(false);
    expect((await manager.download()).update.state).toBe('downloading');
    await waitFor('the download', async () => manager.status().update.state === 'ready');
    expect(readdirSync(installed.pendingDir)).toContain('helpdesk-desktop_1.2.0_amd64.deb');
  });

  it('discards a download whose sha512 is not the published one', async () => {
    publishRelease(feedDir, '1.3.0', { claimedSha512: sha512Of(Buffer.from('something else')) });
    const installed = installApp('1.0.0', t.server.url);
    const { manager } = updatesOf(installed);
    await manager.check();
    await waitFor('the download to fail', async () => manager.status().update.state === 'failed');
    expect(manager.status().update).toEqual({
      state: 'failed',
      message:
        'Downloading the update failed. The file did not match its published checksum, so it was discarded.',
    });
    const left = existsSync(installed.pendingDir) ? readdirSync(installed.pendingDir) : [];
    expect(left.filter((name) => name.endsWith('.deb'))).toEqual([]);
  });

  it('keeps certificate checks on: without the service CA the feed is refused', async () => {
    publishRelease(feedDir, '1.4.0');
    const installed = installApp('1.0.0', t.server.url);
    const other = await startTestServer();
    try {
      // Trusting another service's CA only: the feed's certificate is not trusted.
      const { manager } = updatesOf(installed, { ca: other.ca });
      const before = feedRequests();
      expect((await manager.check()).update).toEqual({
        state: 'failed',
        message: "Checking for updates failed. The server's certificate is not trusted.",
      });
      expect(feedRequests()).toBe(before);
    } finally {
      await other.close();
    }
  });

  it('says so when the feed has no file for this platform', async () => {
    const empty = await startTestServer({ updatesDir: dirs.make('helpdesk-feed-empty-') });
    try {
      const { manager } = updatesOf(installApp('1.0.0', empty.server.url), {
        ca: empty.ca,
      });
      expect((await manager.check()).update).toEqual({
        state: 'failed',
        message: 'Checking for updates failed. No updates are published at the update address.',
      });
    } finally {
      await empty.close();
    }
  });

  it('checks soon after the start and then every interval, until stopped', async () => {
    publishRelease(feedDir, '1.0.0');
    const installed = installApp('1.0.0', t.server.url);
    const { manager, seen } = updatesOf(installed, {
      schedule: { firstCheckMs: 0, checkEveryMs: 20 },
    });
    const before = feedRequests();
    const stop = manager.start();
    await waitFor('three checks', async () => feedRequests() >= before + 3);
    stop();
    await manager.check();
    const stoppedAt = feedRequests();
    // One more explicit check after stopping; no timer is left to add any.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(feedRequests()).toBe(stoppedAt);
    expect(seen.filter((s) => s.update.state === 'checking').length).toBeGreaterThanOrEqual(3);
  });

  it('installs only a ready update, after closing the data; a failed install reopens it', async () => {
    publishRelease(feedDir, '1.5.0');
    const installed = installApp('1.0.0', t.server.url);
    const steps: string[] = [];
    let fail = false;
    const { manager } = updatesOf(installed, {
      install: () => {
        steps.push('install');
        if (fail) throw new Error('the installer would not start');
      },
    });
    const close = async () => void steps.push('close');
    const reopen = async () => void steps.push('reopen');
    await expect(manager.restart(close, reopen)).rejects.toMatchObject({ code: 'bad_request' });
    expect(steps).toEqual([]);

    await manager.check();
    await waitFor('the download', async () => manager.status().update.state === 'ready');
    fail = true;
    await expect(manager.restart(close, reopen)).rejects.toMatchObject({
      code: 'update_failed',
      message: 'Update 1.5.0 could not be installed. Help Desk goes on with this version.',
    });
    expect(steps).toEqual(['close', 'install', 'reopen']);
    // Still ready: the person can try again.
    expect(manager.status().update).toEqual({ state: 'ready', version: '1.5.0' });
    fail = false;
    await manager.restart(close, reopen);
    expect(steps.slice(3)).toEqual(['close', 'install']);
  });

  it('an install that cannot start throws instead of quitting', () => {
    const installed = installApp('1.0.0', t.server.url);
    const updater = installedUpdater(installed.app, 'linux', installed.resources, NO_LOG);
    const executor = new FeedHttpExecutor(createTlsAgent({ ca: t.ca }));
    const adapted = electronUpdater(updater, executor);
    // Nothing was downloaded: electron-updater reports the failure as an 'error' event.
    expect(() => adapted.install()).toThrow(/No update filepath provided/);
    expect(installed.quits()).toBe(0);
  });
});

describe('the shell', () => {
  const shell = (installed: InstalledApp, packaged: boolean, packageType = true) =>
    shellUpdates({
      app: Object.assign(installed.app, { isPackaged: packaged }),
      platform: 'linux',
      resourcesPath: packageType ? installed.resources : undefined,
      ca: t.ca,
      dataDir: dirs.make('helpdesk-shell-updates-'),
      log: NO_LOG,
    });

  it('updates a packaged deb install, and says why the others do not', async () => {
    expect(shell(installApp('1.0.0', t.server.url), false).status().update).toEqual({
      state: 'unsupported',
      reason: 'Development builds do not update themselves.',
    });
    // Without package-type electron-updater takes it for an AppImage, which needs $APPIMAGE.
    expect(shell(installApp('1.0.0', t.server.url), true, false).status().update).toEqual({
      state: 'unsupported',
      reason: 'This installation of Help Desk is updated by whatever installed it.',
    });
    publishRelease(feedDir, '1.0.0');
    const deb = shell(installApp('1.0.0', t.server.url), true);
    expect(deb.status().update).toEqual({ state: 'idle' });
    expect((await deb.check()).update).toEqual({ state: 'idle' });
  });

  it('"Check for Updates…" says what it found, and offers to restart once one is ready', async () => {
    const dialog = {
      showMessageBox: vi.fn(async (_options: Electron.MessageBoxOptions) => ({
        response: 0,
        checkboxChecked: false,
      })),
    };
    const restart = vi.fn(async () => undefined);
    publishRelease(feedDir, '1.0.0');
    const updates = shell(installApp('1.0.0', t.server.url), true);
    await checkFromMenu(updates, dialog as any, restart);
    expect(dialog.showMessageBox).toHaveBeenLastCalledWith(
      expect.objectContaining({ message: 'Help Desk 1.0.0 is up to date.', buttons: ['OK'] }),
    );

    publishRelease(feedDir, '1.6.0');
    await checkFromMenu(updates, dialog as any, restart);
    expect(dialog.showMessageBox.mock.lastCall![0].message).toBe('Downloading update 1.6.0… 0%');
    expect(restart).not.toHaveBeenCalled();
    await waitFor('the download', async () => updates.status().update.state === 'ready');
    await checkFromMenu(updates, dialog as any, restart);
    expect(dialog.showMessageBox).toHaveBeenLastCalledWith(
      expect.objectContaining({
        message: 'Update 1.6.0 ready — Restart to update.',
        buttons: ['Restart to Update', 'Later'],
      }),
    );
    expect(restart).toHaveBeenCalledOnce();
  });
});
