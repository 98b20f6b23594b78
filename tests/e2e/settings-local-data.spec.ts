import { AGENT } from './support/hosted-service';
import { expectNoSeriousViolations } from './support/axe';
import { pendingText } from './support/app';
import { expect, STAYS_OFFLINE, test } from './fixtures';

test.use({ engine: STAYS_OFFLINE });

test('local data: disk use, and a reset that keeps the change not sent yet', async ({ app }) => {
  const { page } = app;
  await app.signIn();
  await app.openFirstTicket();
  await app.goOffline();
  await app.tag('kept-through-reset');
  await expect(app.statusBar()).toContainText(pendingText(1));

  await app.openSettings();
  await page.keyboard.press('Alt+7');
  const panel = page.getByRole('tabpanel', { name: 'Local data & diagnostics' });
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('Local data & diagnostics');
  await expect(panel.getByRole('definition').nth(0)).toHaveText(/^\d+(\.\d)? (KB|MB)$/);
  await expect(panel.getByRole('definition').nth(3)).toHaveText('1');
  await expectNoSeriousViolations(page, 'settings, local data');

  await panel.getByRole('button', { name: 'Reset local data…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Reset local data?' });
  await expect(dialog).toContainText(
    'The change not sent yet is kept and sent when the app syncs.',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await panel.getByRole('button', { name: 'Reset local data…' }).click();
  await dialog.getByRole('button', { name: 'Reset local data' }).click();
  await expect(
    page.getByText(
      'Local data reset: everything is downloaded again. ' +
        'The change not sent yet is kept and sent when the app syncs.',
    ),
  ).toBeVisible();
  await expect(app.statusBar()).toContainText(pendingText(1));

  // Back online the kept change goes out (goOnline waits for 0 pending); the figures are read
  // when the tab opens.
  await app.goOnline();
  await page.keyboard.press('Alt+6');
  await page.keyboard.press('Alt+7');
  await expect(panel.getByRole('definition').nth(3)).toHaveText('0');
});

test('copy diagnostics: the report is on the clipboard, without password or email', async ({
  app,
}) => {
  const { page } = app;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.signIn();
  await app.openSettings('Local data & diagnostics');
  const panel = page.getByRole('tabpanel', { name: 'Local data & diagnostics' });
  await panel.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(panel.getByRole('status')).toHaveText(
    'Diagnostics copied. Paste them into your message to support.',
  );
  const report = panel.getByRole('textbox', { name: 'Diagnostics report' });
  await expect(report).toHaveValue(/^Help Desk diagnostics, /);
  const text = await report.inputValue();
  expect(text).toMatch(/^App: \S+ \(preview\)$/m);
  expect(text).toMatch(/^Sync: \{"state":"idle"/m);
  expect(text).toContain('a***@a***.test');
  expect(text).not.toContain(AGENT.email);
  expect(text).not.toContain(AGENT.password);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
});
