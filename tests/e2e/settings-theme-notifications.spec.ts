import type { Page } from '@playwright/test';
import { numberText } from './support/app';
import { expectNoSeriousViolations } from './support/axe';
import { AGENT } from './support/hosted-service';
import { expect, test } from './fixtures';

const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(13, 17, 23)';
const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const panel = (page: Page) => page.getByRole('tabpanel', { name: 'Theme & notifications' });

test('theme: light, dark, or the system one followed live; Shift+L cycles; kept by the app across a restart', async ({
  app,
  relaunch,
}) => {
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'light' });
  await app.signIn();
  await expect.poll(() => background(page)).toBe(LIGHT_BG);

  // System follows the OS's setting as it changes.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => background(page)).toBe(DARK_BG);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => background(page)).toBe(LIGHT_BG);

  await page.keyboard.press(',');
  await page.keyboard.press('Alt+8');
  const theme = panel(page).getByRole('group', { name: 'Theme' });
  await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();
  await theme.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(() => background(page)).toBe(DARK_BG);
  await expectNoSeriousViolations(page, 'the theme and notifications settings, dark');

  // The shortcut, listed with the others, goes round: Dark → System (the OS is light here).
  await page.keyboard.press('Shift+L');
  await expect(page.getByText('Theme: System')).toBeVisible();
  await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();
  await expect.poll(() => background(page)).toBe(LIGHT_BG);
  await page.keyboard.press('Shift+L');
  await expect(page.getByText('Theme: Light')).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+L');
  await expect(page.getByText('Theme: Dark')).toBeVisible();
  await page.keyboard.press('?');
  await expect(
    app.shortcuts().getByRole('row', { name: 'Shift+L Switch the theme: System, Light, Dark' }),
  ).toHaveCount(2);
  await expectNoSeriousViolations(page, 'the shortcuts dialog, dark');
  await page.keyboard.press('Escape');

  // Kept by the main process, not the page: after a restart, with the OS light, still dark.
  await page.emulateMedia({ colorScheme: 'light' });
  await relaunch();
  await app.waitForWorkspace();
  await expect.poll(() => background(page)).toBe(DARK_BG);
  await app.openFirstTicket();
  await expectNoSeriousViolations(page, 'the workspace with a ticket open, dark');
});

test('the sign-in screen and the workspace pass axe in the dark', async ({ app }) => {
  await app.page.emulateMedia({ colorScheme: 'dark' });
  await app.open();
  await expect.poll(() => background(app.page)).toBe(DARK_BG);
  await expectNoSeriousViolations(app.page, 'the sign-in screen, dark');
  await app.fillSignIn();
  await app.signInButton().click();
  await app.waitForWorkspace();
  await app.page.keyboard.press('Shift+N');
  await expectNoSeriousViolations(app.page, 'the workspace and its notifications list, dark');
});

test('a kind of notice turned off never comes; the kinds left on do', async ({ app, service }) => {
  const { page } = app;
  await app.signIn();
  await app.openSettings('Theme & notifications');
  const kinds = panel(page).getByRole('group', { name: 'Notify me of' });
  const assigned = kinds.getByRole('checkbox', { name: 'A ticket assigned to me' });
  await expect(assigned).toBeChecked();
  await assigned.uncheck();
  await expect(assigned).not.toBeChecked();
  await expectNoSeriousViolations(page, 'the theme and notifications settings');

  // Do not disturb: on for an hour, then off again.
  const desktop = panel(page).getByRole('group', { name: 'Desktop notifications' });
  await desktop.getByRole('button', { name: 'Do not disturb for 1 hour' }).click();
  await expect(desktop.getByRole('status')).toHaveText(
    /^Do not disturb until .+: notices come into the list only\.$/,
  );
  await desktop.getByRole('button', { name: 'Turn do not disturb off' }).click();
  await expect(desktop.getByRole('status')).toHaveText('Do not disturb is off.');
  await page.keyboard.press('Escape');

  // Another agent gives me a ticket: that kind is off, so no notice comes of it…
  const me = (await service.userIds()).get(AGENT.email)!;
  const tickets = [...(await service.state()).tickets.values()].filter((t) => t.number !== null);
  const given = tickets.find((t) => t.status === 'open' && t.assigneeId !== me)!;
  // (The most recently updated of mine: the one whose last customer reply the app has in view.)
  const mine = tickets
    .filter((t) => t.assigneeId === me)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]!;
  await service.changeAsAdmin({
    name: 'setTicketFields',
    args: { ticketId: given.id, fields: { assigneeId: me } },
  });
  await app.viewButton('Mine').click();
  await expect(app.row(given.number!)).toBeVisible();

  // …while a customer's reply on a ticket of mine, a kind left on, comes after it: the only one.
  await service.customerWrites(mine.id, 'Any news?');
  await app.syncNowButton().click();
  const toggle = page.getByRole('button', { name: /^Notifications/ });
  await expect(toggle).toHaveAccessibleName('Notifications, 1 unread');
  await toggle.click();
  const entries = page.getByRole('region', { name: 'Notifications' }).getByRole('listitem');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('The customer replied');
  await expect(entries.first()).toContainText(numberText(mine.number!));
});
