import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeytarCredentialStore } from '../../src-main/core/credentials/keytar-credential-store';
import { NO_LOG } from '../../src-main/core/diagnostics/logger';
import { createTlsAgent } from '../../src-main/core/net/tls-agent';
import { HelpdeskService } from '../../src-main/core/services/helpdesk-service';
import { FeedHttpExecutor } from '../../src-main/core/updates/feed-http-executor';
import { UpdateManager } from '../../src-main/core/updates/update-manager';
import { electronUpdater, installedUpdater } from '../../src-main/electron/app-updater';
import { startPreview, type PreviewServer } from '../../src-main/preview/preview-server';
import { installApp } from '../support/installed-app';
import { startTestServer } from '../support/test-server';
import { publishRelease } from '../support/update-feed';
import { expect, test } from './fixtures';
import { App, pendingText } from './support/app';
import { expectNoSeriousViolations } from './support/axe';
import { watchProblems } from './support/page-problems';
import { RENDERER_DIR } from './support/paths';

/**
 * The app's own updates as a person meets them: Settings → Updates, Shift+U, the download, the
 * status bar's "Update 0.2.0 ready — Restart to update", and a change made offline that the
 * updated app still sends. The app is the preview over the same core the Electron shell runs,
 * with electron-updater checking a real feed (another service with `--updates-dir`); only the
 * installer (which replaces the Electron binary) is recorded, and the "new version" is the core
 * started again at 0.2.0 over the same data folder.
 */

test('updates: check, download, restart to update, and the queued change goes out after', async ({
  page,
  service,
}) => {
  const problems = await watchProblems(page);
  const feedDir = mkdtempSync(join(tmpdir(), 'helpdesk-e2e-feed-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-e2e-updating-'));
  const credentials = new KeytarCredentialStore({ serviceSuffix: `e2e-${randomUUID()}` });
  publishRelease(feedDir, '0.2.0', { size: 1024 * 1024 });
  const feed = await startTestServer({ updatesDir: feedDir, logLevel: 'warn' });
  const installed = installApp('0.1.0', feed.server.url);
  const installs: string[] = [];
  const open: Array<{ core: HelpdeskService; preview: PreviewServer }> = [];

  const launch = async (version: string, updates?: UpdateManager) => {
    const core = new HelpdeskService({
      dataDir,
      credentials,
      appInfo: { version, shell: 'preview', signInDefaults: null },
      ...(updates ? { updates } : {}),
    });
    if (await core.restore()) core.networkUp();
    const preview = await startPreview({ rendererDir: RENDERER_DIR, dataDir, service: core });
    open.push({ core, preview });
    return { core, preview };
  };

  try {
    const real = electronUpdater(
      installedUpdater(installed.app, 'linux', installed.resources, NO_LOG),
      new FeedHttpExecutor(createTlsAgent({ ca: feed.ca })),
    );
    const updates = new UpdateManager({
      currentVersion: '0.1.0',
      updater: { ...real, install: () => void installs.push('install') },
      dataDir,
    });
    const old = await launch('0.1.0', updates);
    const app = new App(page, old.preview.url, service);
    await app.signIn();

    await app.openSettings('Updates');
    const panel = page.getByRole('tabpanel', { name: 'Updates' });
    const status = panel.getByRole('status', { name: 'Update status' });
    await expect(panel.getByRole('definition').nth(0)).toHaveText('0.1.0');
    await expect(panel.getByRole('definition').nth(1)).toHaveText('Never');
    await expect(status).toHaveText('Not checked for updates yet.');
    const automatic = panel.getByRole('checkbox', { name: 'Download updates automatically' });
    await expect(automatic).toBeChecked();
    await automatic.uncheck();
    await expect(automatic).not.toBeChecked();
    await expectNoSeriousViolations(page, 'settings, updates');

    // Shift+U in the workspace: the check finds 0.2.0 and, with automatic downloads off, waits.
    await page.keyboard.press('Escape');
    const number = await app.openFirstTicket();
    await page.keyboard.press('Shift+U');
    await expect(page.getByText('Update 0.2.0 is available.')).toBeVisible();

    // A change made offline, which the update must not lose.
    await app.goOffline();
    await app.tag('kept-through-update');
    await expect(app.statusBar()).toContainText(pendingText(1));

    await app.openSettings('Updates');
    await expect(status).toHaveText('Update 0.2.0 is available.');
    await expect(panel.getByRole('definition').nth(1)).not.toHaveText('Never');
    await panel.getByRole('button', { name: 'Download update 0.2.0' }).click();
    await expect(status).toHaveText('Update 0.2.0 ready — Restart to update.', {
      timeout: 20_000,
    });
    const ready = page.getByRole('group', { name: 'Update' });
    await expect(ready).toContainText('Update 0.2.0 ready');
    await app.screenshot('settings-updates');
    await page.keyboard.press('Escape');
    await expect(ready.getByRole('button', { name: 'Restart to update' })).toBeVisible();
    await app.screenshot('update-ready');

    await ready.getByRole('button', { name: 'Restart to update' }).click();
    await expect(ready).toContainText('Restarting to update…');
    await expect.poll(() => installs).toEqual(['install']);
    // The data was closed before the installer ran: the old core has no account open any more.
    await expect(old.core.invoke('getSyncStatus', {})).rejects.toMatchObject({
      code: 'not_signed_in',
    });

    // The updated app, over the same folder: the change is still queued, and goes out.
    await page.goto('about:blank');
    const updated = await launch('0.2.0');
    app.url = updated.preview.url;
    await page.goto(app.url);
    await expect(app.rows().first()).toBeVisible();
    await expect(app.statusBar()).toContainText(pendingText(1));
    await expect(page.getByRole('group', { name: 'Update' })).toBeHidden();
    await app.goOnline();
    expect((await service.ticketByNumber(number)).tags).toContain('kept-through-update');
    expect(problems, 'console errors, uncaught exceptions or CSP violations').toEqual([]);
  } finally {
    for (const { core, preview } of open) {
      await preview.close();
      await core.close();
    }
    for (const account of await credentials.list().catch(() => [])) {
      await credentials.delete(account);
    }
    await feed.close();
    installed.uninstall();
    rmSync(feedDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});
