import type { Page } from '@playwright/test';
import { numberText } from './support/app';
import { expectNoSeriousViolations } from './support/axe';
import { AGENT } from './support/hosted-service';
import { expect, STAYS_OFFLINE, test } from './fixtures';

const toggle = (page: Page) => page.getByRole('button', { name: /^Notifications/ });
const region = (page: Page) => page.getByRole('region', { name: 'Notifications' });
const entries = (page: Page) => region(page).getByRole('listitem');
const liveText = (page: Page) => page.locator('.notifications [aria-live="polite"]');

test('a ticket another agent gives me, then its customer reply, each come as a notice that opens the ticket', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  await expect(toggle(page)).toHaveAccessibleName('Notifications');
  const me = (await service.userIds()).get(AGENT.email)!;
  const { tickets } = await service.state();
  const given = [...tickets.values()].find(
    (t) => t.status === 'open' && t.assigneeId !== me && t.number !== null,
  )!;

  // Another agent (the admin, on their own desktop) assigns it to me: the live pull brings it.
  await service.changeAsAdmin({
    name: 'setTicketFields',
    args: { ticketId: given.id, fields: { assigneeId: me } },
  });
  await expect(toggle(page)).toHaveAccessibleName('Notifications, 1 unread');
  await expect(liveText(page)).toHaveText(
    `Ticket assigned to you: #${given.number} ${given.subject}`,
  );

  await page.keyboard.press('Shift+N');
  await expect(region(page)).toBeVisible();
  await expect(toggle(page)).toHaveAccessibleName('Notifications');
  await expect(toggle(page)).toHaveAttribute('aria-expanded', 'true');
  const first = entries(page).first().getByRole('button');
  await expect(first).toBeFocused();
  await expect(first).toContainText('Ticket assigned to you');
  await expect(first).toContainText(`#${given.number} ${given.subject}`);
  await expectNoSeriousViolations(page, 'the Notifications list');
  await page.keyboard.press('Enter');
  await expect(region(page)).toHaveCount(0);
  await expect(app.pane()).toContainText(numberText(given.number!));

  // Esc from the list closes it and gives the focus back to its button.
  await page.keyboard.press('Shift+N');
  await expect(first).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(region(page)).toHaveCount(0);
  await expect(toggle(page)).toBeFocused();

  // The shortcut sheet lists it, and the command palette runs it.
  await page.keyboard.press('?');
  await expect(app.shortcuts().getByRole('row', { name: 'Shift+N Notifications' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+K');
  await app.paletteInput().fill('Notifications');
  await page.keyboard.press('Enter');
  await expect(first).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(region(page)).toHaveCount(0);

  // Open another ticket, so the notice's is not already shown.
  const other = await app.numberIn(
    app
      .rows()
      .filter({ hasNotText: numberText(given.number!) })
      .first(),
  );
  await app.row(other).click();
  await expect(app.pane()).toContainText(numberText(other));

  // The requester writes again on what is now my ticket.
  await service.customerWrites(given.id, 'Still broken this morning.');
  await app.syncNowButton().click();
  await expect(toggle(page)).toHaveAccessibleName('Notifications, 1 unread');
  await expect(liveText(page)).toHaveText(
    `The customer replied: #${given.number} ${given.subject}`,
  );
  await toggle(page).click();
  await expect(entries(page)).toHaveCount(2);
  await expect(entries(page).first()).toContainText('The customer replied');
  await expect(entries(page).nth(1)).toContainText('Ticket assigned to you');
  await entries(page).first().getByRole('button').click();
  await expect(app.pane()).toContainText(numberText(given.number!));
  await expect(app.conversation()).toContainText('Still broken this morning.');
});

test.describe('with a conflict', () => {
  test.use({ engine: STAYS_OFFLINE });

  test('a change that needs attention comes as a notice that opens its ticket', async ({
    app,
    service,
  }) => {
    const { page } = app;
    await app.signIn();
    const number = await app.openFirstTicket();
    const ticket = await service.ticketByNumber(number);
    const [mine, theirs] = (['low', 'normal', 'high', 'urgent'] as const).filter(
      (p) => p !== ticket.priority,
    );

    await app.goOffline();
    await app.choose(app.field('Priority'), new RegExp(`^${mine}$`, 'i'));
    await expect(app.toast()).toContainText('Priority');
    // Another agent changes the same field on the service meanwhile.
    await service.restart();
    await service.changeAsAdmin({
      name: 'setTicketFields',
      args: { ticketId: ticket.id, fields: { priority: theirs } },
    });
    // Elsewhere when it comes back: the notice is what leads there.
    await app
      .row(
        await app.numberIn(
          app
            .rows()
            .filter({ hasNotText: numberText(number) })
            .first(),
        ),
      )
      .click();
    await app.syncNowButton().click();
    await expect(app.statusBar()).toContainText('1 need attention');

    await expect(toggle(page)).toHaveAccessibleName('Notifications, 1 unread');
    await page.keyboard.press('Shift+N');
    const notice = entries(page).first().getByRole('button');
    await expect(notice).toContainText('A change needs your attention');
    await expect(notice).toContainText('choose which version to keep');
    await notice.press('Enter');
    await expect(app.pane()).toContainText(numberText(number));
    await expect(app.needsAttention()).toBeVisible();
  });
});
