import { test as base, expect } from '@playwright/test';
import { App } from './support/app';
import { Desktop, type EngineTuning } from './support/desktop';
import { HostedService } from './support/hosted-service';
import { watchProblems } from './support/page-problems';

interface Fixtures {
  /** Records per page of the initial sync (the engine's default when unset). */
  snapshotPageSize: number | undefined;
  /** Sync engine tuning (backoff…) beyond the page size. */
  engine: EngineTuning | undefined;
  /** The demo service, for this test alone. */
  service: HostedService;
  /** The desktop app (the browser preview) over a fresh data folder and its own keychain entries. */
  desktop: Desktop;
  /** The app in the page, not signed in yet; the test fails on a console error or CSP violation. */
  app: App;
  /** Quits the app and starts it again over the same data folder, in the same page. */
  relaunch: () => Promise<void>;
}

/**
 * A sync engine that, once the service is unreachable, waits a minute before it tries again by
 * itself: the app stays offline while a test changes the service behind its back, until the test
 * presses "Sync now".
 */
export const STAYS_OFFLINE: EngineTuning = {
  backoff: { baseMs: 60_000, maxMs: 60_000 },
  random: () => 1,
};

export const test = base.extend<Fixtures>({
  snapshotPageSize: [undefined, { option: true }],
  engine: [undefined, { option: true }],

  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture uses from its first parameter.
  service: async ({}, use) => {
    const service = await HostedService.start();
    await use(service);
    await service.dispose();
  },

  desktop: async ({ snapshotPageSize, engine }, use, testInfo) => {
    const tuning =
      snapshotPageSize === undefined && engine === undefined
        ? undefined
        : { ...engine, ...(snapshotPageSize === undefined ? {} : { snapshotPageSize }) };
    const desktop = new Desktop(tuning);
    await desktop.start();
    await use(desktop);
    // A failure's story from the app's side (sync states, errors), in CI's output too.
    const log = testInfo.status === testInfo.expectedStatus ? null : desktop.logTail();
    if (log) {
      process.stderr.write(`--- the desktop's log, last lines (${testInfo.title}) ---\n${log}\n`);
      await testInfo.attach('desktop log', { body: log, contentType: 'text/plain' });
    }
    await desktop.dispose();
  },

  app: async ({ page, desktop, service }, use, testInfo) => {
    const problems = await watchProblems(page);
    await use(new App(page, desktop.preview.url, service));
    if (testInfo.status !== testInfo.expectedStatus) {
      // What was on screen, in CI's output too: the screenshot and error context stay on its disk.
      const screen = await page
        .locator('body')
        .ariaSnapshot({ timeout: 5_000 })
        .catch((error: unknown) => `(no snapshot: ${String(error)})`);
      process.stderr.write(`--- the page, as roles and names (${testInfo.title}) ---\n${screen}\n`);
    }
    expect(problems, 'console errors, uncaught exceptions or CSP violations').toEqual([]);
  },

  relaunch: async ({ app, desktop }, use) => {
    await use(async () => {
      // The page first: a page left open would see its preview vanish under it.
      await app.page.goto('about:blank');
      await desktop.stop();
      app.url = (await desktop.start()).url;
      await app.page.goto(app.url);
    });
  },
});

export { expect };
