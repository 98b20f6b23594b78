import { expectNoSeriousViolations } from './support/axe';
import { startSlowLink } from './support/slow-link';
import { expect, test } from './fixtures';

// Small pages: the initial sync screen has a progress bar with a total early on.
test.use({ snapshotPageSize: 100 });

test('axe finds nothing serious on sign-in, initial sync, workspace and shortcuts', async ({
  app,
  service,
}) => {
  await app.open();
  await expectNoSeriousViolations(app.page, 'the sign-in screen');
  await app.fillSignIn({ password: 'not-the-password' });
  await app.signInButton().click();
  await expect(app.alert()).toBeVisible();
  await expectNoSeriousViolations(app.page, 'the sign-in screen with an error');

  // A slow link that stalls once the first page is in keeps the initial sync screen up.
  const link = await startSlowLink(service.url, 100_000);
  try {
    await app.page.getByLabel('Server URL', { exact: true }).fill(link.url);
    await app.page.getByLabel('Password', { exact: true }).fill('demo-password-1');
    await app.signInButton().click();
    await app.initialSyncTotal();
    link.hold();
    await expect(app.initialSyncHeading()).toBeVisible();
    await expectNoSeriousViolations(app.page, 'the initial sync screen');
    await expect(app.initialSyncHeading()).toBeVisible();
    link.release();
    await app.waitForWorkspace();

    await app.openFirstTicket();
    await expectNoSeriousViolations(app.page, 'the workspace with a ticket open');
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('?');
    await expect(app.shortcuts()).toBeVisible();
    await expectNoSeriousViolations(app.page, 'the shortcuts dialog');
  } finally {
    await link.close();
  }
});
