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

test('axe finds nothing serious in the triage tools: selection and bulk bar, toast, palette, new ticket, macro picker, save view', async ({
  app,
  service,
}) => {
  const { page } = app;
  const keys = page.keyboard;
  await service.saveMacro({ title: 'Escalate', actions: { priority: 'urgent' }, reply: null });
  await app.signIn();
  await app.openFirstTicket();
  await keys.press('x');
  await keys.press('Shift+J');
  await expect(app.bulkBar()).toBeVisible();
  await app.choose(app.bulkBar().getByRole('combobox', { name: 'Status' }), /^Open$/);
  await app.bulkBar().getByRole('button', { name: 'Apply to 2 tickets' }).click();
  await expect(app.toast()).toContainText('on 2 tickets');
  await expectNoSeriousViolations(page, 'the workspace with a selection, its bulk bar and a toast');

  const dialogs: Array<[key: string, name: string]> = [
    ['Control+k', 'Command palette'],
    ['c', 'New ticket'],
    ['m', 'Apply a macro'],
    ['v', 'Save as a view'],
  ];
  for (const [key, name] of dialogs) {
    await keys.press(key);
    const dialog = page.getByRole('dialog', { name });
    await expect(dialog).toBeVisible();
    if (key === 'Control+k') await keys.type('pri');
    await expectNoSeriousViolations(page, `the "${name}" dialog`);
    await keys.press('Escape');
    await expect(dialog).toBeHidden();
  }
});
