import { createServer } from 'node:net';
import { firstRowSeen, recordScreens, screensSeen } from './support/screen-history';
import { startSlowLink } from './support/slow-link';
import { expect, test } from './fixtures';

/** A loopback port where nothing listens (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

test('a wrong password is refused in plain words and the form stays', async ({ app }) => {
  await app.open();
  await app.screenshot('sign-in');
  await app.fillSignIn({ password: 'not-the-password' });
  await app.signInButton().click();
  await expect(app.alert()).toContainText(/wrong email or password/i);
  await app.screenshot('sign-in-error');
  await expect(app.signInHeading()).toBeVisible();
  await expect(app.signInButton()).toBeEnabled();
});

test('a service whose certificate is not trusted is named as such', async ({ app }) => {
  await app.open();
  await app.fillSignIn({ ca: false });
  await app.signInButton().click();
  await expect(app.alert()).toContainText(/certificate/i);
  await expect(app.alert()).toContainText(/not trusted/i);
  await expect(app.signInHeading()).toBeVisible();
});

test('a service that cannot be reached is named as such', async ({ app }) => {
  await app.open();
  await app.fillSignIn({ serverUrl: `https://127.0.0.1:${await closedPort()}` });
  await app.signInButton().click();
  await expect(app.alert()).toContainText(/cannot reach the service/i);
  await expect(app.signInHeading()).toBeVisible();
});

test.describe('with small snapshot pages over a slow link', () => {
  // The progress bar gets its total with the first page; the link then stalls while it is checked.
  test.use({ snapshotPageSize: 100 });

  test('signing in downloads the tenant with progress, then opens the workspace', async ({
    app,
    service,
  }) => {
    const link = await startSlowLink(service.url, 100_000);
    try {
      await recordScreens(app.page);
      await app.open();
      await app.fillSignIn({ serverUrl: link.url });
      await app.signInButton().click();
      const total = await app.initialSyncTotal();
      link.hold();
      expect(total).toBeGreaterThan(1000);
      await expect(app.initialSyncHeading()).toBeVisible();
      const bar = app.progressBar();
      await expect(bar).toHaveAttribute('aria-valuemin', '0');
      const done = Number(await bar.getAttribute('aria-valuenow'));
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(total);
      await expect(
        app.page.getByText(
          new RegExp(`Downloading tickets: [\\d,]+ of ${total.toLocaleString('en-US')} records`),
        ),
      ).toBeVisible();
      await app.screenshot('initial-sync');
      link.release();
      await app.waitForWorkspace();
      await expect(app.initialSyncHeading()).toHaveCount(0);
      await expect(app.views().getByRole('button', { name: /^All open \d/ })).toBeVisible();
      await expect(app.statusBar()).toContainText('Online');
      await app.screenshot('workspace');
      // Nothing in between, such as an empty workspace before the first page has arrived.
      expect(await screensSeen(app.page)).toEqual(['sign-in', 'initial sync', 'workspace']);
      // Nor rows of the tenant half downloaded: the first row shown is the first of the whole, as
      // the view asked for again now shows it.
      await app
        .views()
        .getByRole('button', { name: /^All open \d/ })
        .click();
      await expect(app.rows().first()).toBeVisible();
      const first = await app.numberIn(app.rows().first());
      expect(await firstRowSeen(app.page)).toMatch(new RegExp(`^#${first}(?!\\d)`));
    } finally {
      await link.close();
    }
  });
});
