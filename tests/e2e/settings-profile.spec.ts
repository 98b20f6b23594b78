import { accountExport, logInStatus } from './support/account';
import { SOME_PENDING } from './support/app';
import { ADMIN_EMAIL, AGENT } from './support/hosted-service';
import { expect, test } from './fixtures';

test('profile edits made offline are pending, then confirmed and held by the service; a removed field is cleared there too', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  await app.openSettings();
  const form = page.getByRole('form', { name: 'Profile' });
  const box = (name: string) => form.getByRole('textbox', { name, exact: true });
  await expect(box('Email')).toHaveValue(AGENT.email);
  await expect(box('Email')).not.toBeEditable();

  // Checked with the mutation's own schema before anything is sent; Ctrl+Enter saves too.
  await box('Phone').fill('call me maybe');
  await box('Phone').press('Control+Enter');
  await expect(form.getByRole('alert')).toHaveText(
    'Phone may hold only digits, spaces and + ( ) . / - x.',
  );
  await expect(app.fieldState('Phone')).toHaveAttribute('data-state', 'confirmed');
  await box('Phone').fill('');

  // A fax number set online first, so that it can be removed later.
  const fax = '+1 555 0100';
  await box('Fax').fill(fax);
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(app.confirmedValue('Fax')).toHaveText(fax, { timeout: 20_000 });
  await expect(app.fieldState('Fax')).toHaveAttribute('data-state', 'confirmed');

  await app.goOffline();
  await expect(page.getByText('You are offline. Changes are saved on this computer')).toBeVisible();
  const phone = '+1 555 0142';
  const title = 'Escalations lead';
  await box('Phone').fill(phone);
  await box('Title').fill(title);
  await box('Title').press('Enter');
  for (const field of ['Phone', 'Title']) {
    await expect(app.fieldState(field)).toHaveAttribute('data-state', 'pending');
    await expect(app.fieldState(field)).toHaveText('Pending');
  }
  await expect(app.fieldState('Name')).toHaveAttribute('data-state', 'confirmed');
  await expect(app.statusBar()).toContainText(SOME_PENDING);
  await expect(app.confirmedValue('Phone')).toHaveText('Not set');
  await expect(app.confirmedValue('Title')).toHaveText('Support agent');
  await expect(app.confirmedCopy()).toContainText(
    'This is what the service holds. It updates after each sync.',
  );
  await app.screenshot('settings-profile');

  await app.goOnline();
  for (const field of ['Phone', 'Title']) {
    await expect(app.fieldState(field)).toHaveAttribute('data-state', 'confirmed');
    await expect(app.fieldState(field)).toHaveText('Confirmed');
  }
  await expect(app.confirmedValue('Phone')).toHaveText(phone);
  await expect(app.confirmedValue('Title')).toHaveText(title);
  const held = await accountExport(service, AGENT.email, AGENT.password);
  expect(held.profile).toMatchObject({ phone, title, fax, department: 'Customer support' });

  await form.getByRole('button', { name: 'Remove Fax', exact: true }).click();
  await expect(box('Fax')).toHaveValue('');
  await expect(app.confirmedValue('Fax')).toHaveText('Not set', { timeout: 20_000 });
  await expect
    .poll(async () => (await accountExport(service, AGENT.email, AGENT.password)).profile)
    .toMatchObject({ fax: null, phone, title });
});

test('the email changes online with the current password, and signs in from then on', async ({
  app,
  service,
}) => {
  const { page } = app;
  const banner = page.getByRole('banner');
  const newEmail = 'agent1.renamed@acme.test';
  await app.signIn();
  await app.openSettings();
  await expect(banner).toContainText(AGENT.email);

  await page.getByRole('button', { name: 'Change email', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Change email' });
  const password = dialog.getByLabel('Current password', { exact: true });
  const attempt = async (email: string, secret: string) => {
    await dialog.getByLabel('New email', { exact: true }).fill(email);
    await password.fill(secret);
    await dialog.getByRole('button', { name: 'Change email', exact: true }).click();
    await expect(password).toHaveValue('');
  };

  await attempt(newEmail, 'not-the-password-1');
  await expect(dialog.getByRole('alert')).toHaveText(
    'The current password is wrong. Nothing was changed.',
  );
  await attempt(ADMIN_EMAIL, AGENT.password);
  await expect(dialog.getByRole('alert')).toHaveText(
    'Another account of your company already uses this email address. Nothing was changed.',
  );
  await expect(banner).toContainText(AGENT.email);
  expect(await logInStatus(service, AGENT.email, AGENT.password)).toBe(200);
  expect(await logInStatus(service, newEmail, AGENT.password)).toBe(401);

  await attempt(newEmail, AGENT.password);
  await expect(dialog).toBeHidden();
  await expect(banner).toContainText(newEmail);
  await expect(page.getByText(`Your email address is now ${newEmail}.`)).toBeVisible();
  await expect(
    page
      .getByRole('form', { name: 'Profile' })
      .getByRole('textbox', { name: 'Email', exact: true }),
  ).toHaveValue(newEmail);
  expect(await logInStatus(service, AGENT.email, AGENT.password)).toBe(401);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(app.signInHeading()).toBeVisible();
  await app.fillSignIn({ email: newEmail });
  await app.signInButton().click();
  await app.waitForWorkspace();
  await expect(banner).toContainText(newEmail);
});
