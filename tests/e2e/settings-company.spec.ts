import type { Page } from '@playwright/test';
import { BILLING_PORTAL_URL } from '../../src-renderer/lib/billing';
import { SETTINGS_TAB_LABELS, SETTINGS_TABS } from '../../src-renderer/lib/settings-tabs';
import { accountExport } from './support/account';
import { SOME_PENDING, type App } from './support/app';
import { ADMIN_EMAIL, AGENT } from './support/hosted-service';
import { expect, test } from './fixtures';

interface FieldFacts {
  autocomplete: string;
  words: string;
}

/** Every form control of a settings section: its autocomplete and the words that name it. */
async function fieldsOf(page: Page): Promise<FieldFacts[]> {
  return page.locator('main input, main select, main textarea').evaluateAll((nodes) =>
    nodes.map((node) => {
      const field = node as HTMLInputElement;
      const labels = [...(field.labels ?? [])].map((l) => l.textContent ?? '');
      return {
        autocomplete: field.getAttribute('autocomplete') ?? '',
        words: [field.name, field.id, field.getAttribute('aria-label') ?? '', ...labels].join(' '),
      };
    }),
  );
}

/** Goes through every section: no control asks for card data (the seed: billing is the processor's). */
async function expectNoCardFields(app: App): Promise<number> {
  let seen = 0;
  for (const tab of SETTINGS_TABS) {
    const label = SETTINGS_TAB_LABELS[tab];
    await app.settingsTab(label).click();
    await expect(app.page.getByRole('tabpanel', { name: label })).toBeVisible();
    const fields = await fieldsOf(app.page);
    seen += fields.length;
    for (const field of fields) {
      expect(field.autocomplete, field.words).not.toMatch(/cc-/i);
      expect(field.words).not.toMatch(/card|cvc|cvv|security code|expir/i);
    }
  }
  return seen;
}

test('an admin edits the company offline (pending, then confirmed); an agent only reads it; nothing asks for a card', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn({ email: ADMIN_EMAIL });
  await app.openSettings('Company');
  const form = page.getByRole('form', { name: 'Company' });
  const name = 'Acme Field Services Europe';
  await expect(form.getByRole('textbox', { name: 'Company name', exact: true })).toHaveValue(
    'Acme Field Services',
  );
  const billing = page.getByRole('link', { name: 'Manage billing' });
  await expect(billing).toHaveAttribute('href', BILLING_PORTAL_URL);
  await expect(billing).toHaveAttribute('target', '_blank');
  await expect(billing).toHaveAttribute('rel', 'noreferrer');
  await expect(page.getByText('This app never asks for or stores card details.')).toBeVisible();

  await app.goOffline();
  await form.getByRole('textbox', { name: 'Company name', exact: true }).fill(name);
  await form.getByRole('spinbutton', { name: 'Seats', exact: true }).fill('30');
  await form.getByRole('button', { name: 'Save company' }).click();
  for (const field of ['Company name', 'Seats']) {
    await expect(app.fieldState(field)).toHaveAttribute('data-state', 'pending');
  }
  await expect(app.fieldState('Website')).toHaveAttribute('data-state', 'confirmed');
  await expect(app.statusBar()).toContainText(SOME_PENDING);
  await expect(app.confirmedValue('Seats')).toHaveText('25');

  // Offline and with every control an admin has: none of them is about a card.
  expect(await expectNoCardFields(app)).toBeGreaterThan(10);

  await app.goOnline();
  await app.settingsTab('Company').click();
  for (const field of ['Company name', 'Seats']) {
    await expect(app.fieldState(field)).toHaveAttribute('data-state', 'confirmed');
  }
  await expect(app.confirmedValue('Company name')).toHaveText(name);
  await expect(app.confirmedValue('Seats')).toHaveText('30');
  const { rows } = await service.state();
  const company = [...rows].find(([key]) => key.startsWith('company:'))?.[1];
  expect(company).toMatchObject({ name, seats: 30 });

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await app.signIn({ email: AGENT.email });
  await app.openSettings('Company');
  await expect(page.getByText('Only admins can change company settings.')).toBeVisible();
  await expect(page.getByRole('form', { name: 'Company' })).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('definition').first()).toHaveText(name);
  await expect(page.getByRole('main')).not.toContainText('Seats');
  await app.settingsTab('Log-ins').click();
  await expect(page.getByRole('radiogroup', { name: 'Whose log-ins' })).toHaveCount(0);
});

test('opting in to the newsletter offline is pending until the service has it; the keyboard alone gets there and back', async ({
  app,
  service,
}) => {
  const { page } = app;
  const keys = page.keyboard;
  await app.signIn();
  await keys.press(',');
  await expect(app.settingsHeading()).toBeVisible();
  await expect(app.settingsTab('Profile')).toBeFocused();
  await keys.press('ArrowRight');
  await expect(app.settingsTab('Company')).toBeFocused();
  await expect(app.settingsTab('Company')).toHaveAttribute('aria-selected', 'true');
  await keys.press('?');
  const shortcuts = app.shortcuts();
  await expect(shortcuts.getByRole('table', { name: 'Settings' })).toContainText(/Alt\+1–\d/);
  await keys.press('Escape');
  await expect(shortcuts).toBeHidden();
  await keys.press('Alt+3');
  await expect(app.settingsTab('Preferences')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Preferences' })).toBeVisible();

  const newsletter = page.getByRole('checkbox', { name: 'Newsletter' });
  const news = page.getByRole('checkbox', { name: 'Product and company news' });
  await expect(newsletter).not.toBeChecked();
  await expect(newsletter).toHaveAccessibleDescription(/Off until you opt in\./);
  await expect(news).toBeChecked();
  await expect(news).toHaveAccessibleDescription(/You can opt out at any time\./);

  await app.goOffline();
  await newsletter.check();
  await expect(app.fieldState('Newsletter')).toHaveAttribute('data-state', 'pending');
  await expect(app.fieldState('Product and company news')).toHaveAttribute(
    'data-state',
    'confirmed',
  );
  await expect(app.statusBar()).toContainText(SOME_PENDING);

  await app.goOnline();
  await expect(app.fieldState('Newsletter')).toHaveAttribute('data-state', 'confirmed');
  await expect(newsletter).toBeChecked();
  const held = await accountExport(service, AGENT.email, AGENT.password);
  expect(held.preferences).toMatchObject({ newsletter: true, productUpdates: true });
  expect(held.preferenceChanges).toContainEqual(
    expect.objectContaining({ field: 'newsletter', old: false, new: true, source: 'sync' }),
  );

  await newsletter.focus();
  await keys.press('Escape');
  await expect(app.settingsHeading()).toBeHidden();
  await expect(app.list()).toBeFocused();
});
