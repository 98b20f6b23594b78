import { readFileSync } from 'node:fs';
import { passwordProblem } from '../../src-shared/auth/password-policy';
import { SETTINGS_TAB_LABELS, SETTINGS_TABS } from '../../src-renderer/lib/settings-tabs';
import { logInStatus } from './support/account';
import { expectNoSeriousViolations } from './support/axe';
import { ADMIN_EMAIL, AGENT, TENANT } from './support/hosted-service';
import { expect, test } from './fixtures';

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

test('the password changes only to one the policy accepts, and the old one stops working', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  await app.openSettings('Security');
  const form = page.getByRole('form', { name: 'Change password' });
  const boxes = ['Current password', 'New password', 'Confirm new password'].map((name) =>
    form.getByLabel(name, { exact: true }),
  );
  const attempt = async (current: string, next: string, confirm = next) => {
    for (const [box, value] of boxes.map((b, i) => [b, [current, next, confirm][i]!] as const))
      await box.fill(value);
    await form.getByRole('button', { name: 'Change password' }).click();
    for (const box of boxes) await expect(box).toHaveValue('');
  };
  const alert = form.getByRole('alert');

  const leaked = 'Password123!';
  await attempt(AGENT.password, leaked);
  await expect(alert).toHaveText(passwordProblem(leaked)!.message);
  await attempt(AGENT.password, 'a long enough passphrase', 'a long enough passphrase?');
  await expect(alert).toHaveText('The two new passwords differ.');
  // Neither reached the service: the password is still the old one.
  expect(await logInStatus(service, AGENT.email, AGENT.password)).toBe(200);

  const fresh = 'quiet harbour lanterns 42';
  await attempt('not-my-password-1', fresh);
  await expect(alert).toHaveText('The current password is wrong. Nothing was changed.');
  await attempt(AGENT.password, fresh);
  await expect(alert).toHaveCount(0);
  await expect(form.getByRole('status')).toHaveText(
    'Password changed. Your other sessions have been signed out.',
  );
  expect(await logInStatus(service, AGENT.email, AGENT.password)).toBe(401);
  expect(await logInStatus(service, AGENT.email, fresh)).toBe(200);
  // This session goes on.
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText('Online · Synced');
});

test('the log-in history shows this sign-in, the whole tenant to an admin, and needs a connection', async ({
  app,
}) => {
  const { page, service } = app;
  await service.api.login(TENANT, 'agent2@acme.test');
  await app.signIn({ email: ADMIN_EMAIL });
  await app.openSettings('Log-ins');
  const table = page.getByRole('table', { name: 'Log-in history' });
  const mine = table
    .getByRole('row')
    .filter({ hasText: '127.0.0.1' })
    .filter({ hasText: 'Help desk app' })
    .filter({ hasText: 'Signed in' });
  await expect(mine.first()).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Email' })).toHaveCount(0);
  await expect(table).not.toContainText('agent2@acme.test');

  await page
    .getByRole('radiogroup', { name: 'Whose log-ins' })
    .getByRole('radio', { name: 'Everyone in Acme Field Services' })
    .check();
  await expect(table.getByRole('columnheader', { name: 'Email' })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'agent2@acme.test' })).not.toHaveCount(0);
  await expect(table.getByRole('row').filter({ hasText: ADMIN_EMAIL })).not.toHaveCount(0);

  await app.goOffline();
  await page.keyboard.press('r');
  await expect(page.getByRole('tabpanel', { name: 'Log-ins' }).getByRole('alert')).toContainText(
    'Log-in history needs a connection.',
  );
});

test('the privacy page says what is kept where, and exports my data as a JSON file', async ({
  app,
}) => {
  const { page } = app;
  await app.signIn();
  await app.openSettings();
  await page.keyboard.press('Alt+6');
  const panel = page.getByRole('tabpanel', { name: 'Privacy' });
  await expect(panel.getByRole('heading', { level: 2, name: 'Privacy' })).toBeVisible();
  for (const section of ['On this computer', 'On the service', 'What is never stored']) {
    await expect(panel.getByRole('heading', { level: 3, name: section })).toBeVisible();
  }
  await expect(panel).toContainText('The app does not encrypt it');
  await expect(panel).toContainText('90 days by default');
  await expect(panel).toContainText('Signing out deletes all of it from this computer.');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Export my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^helpdesk-export-.*\.json$/);
  const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(data.account.email).toBe(AGENT.email);
  expect(data.profile.email).toBe(AGENT.email);
  expect(keysOf(data)).not.toContain('passwordHash');
  await expect(panel.getByRole('status')).toContainText(download.suggestedFilename());
});

test('axe finds nothing serious on any section of the settings, nor in the email dialog', async ({
  app,
}) => {
  // An axe run per section (seven) and one for the dialog.
  test.setTimeout(240_000);
  const { page } = app;
  await app.signIn({ email: ADMIN_EMAIL });
  await app.openSettings();
  for (const tab of SETTINGS_TABS) {
    const label = SETTINGS_TAB_LABELS[tab];
    await app.settingsTab(label).click();
    const panel = page.getByRole('tabpanel', { name: label });
    await expect(panel).toBeVisible();
    await expect(panel).not.toContainText('Loading…');
    await expectNoSeriousViolations(page, `the settings' ${label} section`);
  }
  await app.settingsTab('Profile').click();
  await page.getByRole('button', { name: 'Change email', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Change email' });
  await dialog.getByRole('button', { name: 'Change email', exact: true }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await expectNoSeriousViolations(page, 'the change email dialog with an error');
});
