import { pendingText } from './support/app';
import { expectNoSeriousViolations } from './support/axe';
import { expect, STAYS_OFFLINE, test } from './fixtures';

test.use({ engine: STAYS_OFFLINE });

test('a service that requires a newer app: a banner says which version, and the pending change waits', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  await app.openFirstTicket();
  await app.goOffline();
  await app.tag('waits-for-update');
  await expect(app.statusBar()).toContainText(pendingText(1));

  // The service comes back requiring a version this app (0.0.0-e2e) is older than.
  await service.restart({ minClientVersion: '1.0.0' });
  await app.syncNowButton().click();
  const banner = page.getByRole('alert').filter({ hasText: 'too old for the service' });
  await expect(banner).toHaveText(
    'Update Help Desk. This version of Help Desk (0.0.0-e2e) is too old for the service; ' +
      'version 1.0.0 or later is required. Your pending change is kept and will be sent after ' +
      'you update.',
  );
  await expect(app.statusBar()).toContainText('Update required');
  await expect(app.statusBar()).toContainText(pendingText(1));
  await expectNoSeriousViolations(page, 'the workspace with the update banner');

  // It stays: on the settings screen, and after another try.
  await page.keyboard.press(',');
  await expect(app.settingsHeading()).toBeVisible();
  await expect(banner).toBeVisible();
  await app.syncNowButton().click();
  await expect(banner).toContainText('Your pending change is kept');
  await expect(app.statusBar()).toContainText(pendingText(1));
});
