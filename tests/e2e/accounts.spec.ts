import { pendingText } from './support/app';
import { AGENT } from './support/hosted-service';
import { expect, test } from './fixtures';

/**
 * Several accounts in one app: adding a second one (another tenant of the same service) while
 * the first stays signed in, each account's pending changes in the switcher, switching with a
 * click or Ctrl+1, and a background account sending its changes while another one is shown.
 */
test('adds an account on another tenant, counts pending changes per account, and switches', async ({
  app,
  service,
}) => {
  const { page } = app;
  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  const acme = accounts.getByRole('button', { name: /^Acme Field Services/ });
  const globex = accounts.getByRole('button', { name: /^Globex Corporation/ });
  const banner = page.getByRole('banner');

  await app.signIn();
  await expect(acme).toHaveAttribute('aria-current', 'true');
  await expect(acme).toContainText(pendingText(0));
  await expect(globex).toHaveCount(0);

  // Add globex: the form starts from the service of the account shown.
  await accounts.getByRole('button', { name: 'Add account', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add an account' })).toBeVisible();
  await expect(page.getByLabel('Server URL', { exact: true })).toHaveValue(service.url);
  await expect(page.getByLabel('Tenant', { exact: true })).toBeFocused();
  await page.getByLabel('Tenant', { exact: true }).fill('globex');
  await page.getByLabel('Email', { exact: true }).fill('agent1@globex.test');
  await page.getByLabel('Password', { exact: true }).fill(AGENT.password);
  await page.getByLabel('CA certificate (PEM)', { exact: true }).setInputFiles(service.caPath);
  await app.signInButton().click();
  await app.waitForWorkspace();
  await expect(banner).toContainText('Globex Corporation');
  await expect(globex).toHaveAttribute('aria-current', 'true');
  await expect(acme).not.toHaveAttribute('aria-current', 'true');
  await expect(acme).toHaveAttribute('aria-keyshortcuts', 'Control+1 Meta+1');
  await expect(globex).toHaveAttribute('aria-keyshortcuts', 'Control+2 Meta+2');

  // Offline, a change in globex: its count in the switcher, acme's stays 0.
  await app.goOffline();
  const number = await app.openFirstTicket();
  await app.tag('from-globex');
  await expect(app.statusBar()).toContainText(pendingText(1));
  await expect(globex).toContainText(pendingText(1));
  await expect(acme).toContainText(pendingText(0));
  await app.screenshot('accounts');

  // Ctrl+1: acme, with its own tickets; globex's change still waits.
  await page.keyboard.press('Control+1');
  await expect(acme).toHaveAttribute('aria-current', 'true');
  await expect(banner).toContainText('Acme Field Services');
  await expect(app.statusBar()).toContainText(pendingText(0));
  await expect(globex).toContainText(pendingText(1));

  // The cheat sheet lists the switch.
  await page.keyboard.press('?');
  await expect(app.shortcuts()).toContainText('Ctrl+1–9 / ⌘1–9');
  await expect(app.shortcuts()).toContainText('Switch to account 1–9');
  await app.shortcuts().getByRole('button', { name: 'Close' }).click();

  // Back online, globex sends its change in the background, while acme is shown.
  await app.goOnline();
  await expect(globex).toContainText(pendingText(0), { timeout: 20_000 });
  await expect(acme).toHaveAttribute('aria-current', 'true');

  // A click shows globex again, with the change confirmed.
  await globex.click();
  await expect(banner).toContainText('Globex Corporation');
  await app.openTicket(number);
  await expect(app.removeTag('from-globex')).toBeVisible();
  await expect(app.notYetSynced(app.pane())).toHaveCount(0);

  // Settings › Local data: the disk each account uses on this computer.
  await app.openSettings('Local data & diagnostics');
  const disk = page.getByRole('table', { name: 'Disk used by each account' });
  const size = String.raw`\d+(\.\d)? (KB|MB)`;
  await expect(disk.getByRole('row')).toHaveCount(3);
  await expect(
    disk.getByRole('row', { name: new RegExp(`^Acme Field Services ${AGENT.email} ${size}$`) }),
  ).toBeVisible();
  await expect(
    disk.getByRole('row', { name: new RegExp(`^Globex Corporation agent1@globex.test ${size}$`) }),
  ).toBeVisible();
});

test('signing out of the account shown shows the other one, still signed in', async ({ app }) => {
  const { page } = app;
  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  await app.signIn();
  await accounts.getByRole('button', { name: 'Add account', exact: true }).click();
  await page.getByLabel('Tenant', { exact: true }).fill('globex');
  await page.getByLabel('Email', { exact: true }).fill('agent2@globex.test');
  await page.getByLabel('Password', { exact: true }).fill(AGENT.password);
  await page.getByLabel('CA certificate (PEM)', { exact: true }).setInputFiles(app.service.caPath);
  await app.signInButton().click();
  await app.waitForWorkspace();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(accounts.getByRole('button', { name: /^Globex Corporation/ })).toHaveCount(0);
  await expect(accounts.getByRole('button', { name: /^Acme Field Services/ })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await expect(page.getByRole('banner')).toContainText('Acme Field Services');
  await app.waitForWorkspace();

  // Adding is cancelled: back to the account shown, nothing changed.
  await accounts.getByRole('button', { name: 'Add account', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('banner')).toContainText('Acme Field Services');
  await expect(accounts.getByRole('listitem')).toHaveCount(1);
});
