import { numberText, SOME_PENDING } from './support/app';
import { expect, test } from './fixtures';

test('bulk priority and tag offline: each selected ticket gets its own changes, and one deleted meanwhile is reported by itself', async ({
  app,
  service,
}) => {
  const { page } = app;
  const keys = page.keyboard;
  await app.signIn();
  await app.openFirstTicket();
  await keys.press('x');
  await keys.press('Shift+J');
  await keys.press('Shift+J');
  const checked = app.list().getByRole('option', { checked: true });
  await expect(checked).toHaveCount(3);
  await expect(app.bulkBar()).toContainText('3 tickets selected');
  const numbers = await Promise.all([0, 1, 2].map((i) => app.numberIn(checked.nth(i))));
  const [kept1, gone, kept2] = await Promise.all(numbers.map((n) => service.ticketByNumber(n)));

  // Another agent's admin deletes one of them; the app hears of it while still online.
  await service.changeAsAdmin({ name: 'deleteTicket', args: { ticketId: gone!.id } });
  await expect(app.row(gone!.number!)).toHaveCount(0);
  await app.goOffline();

  await keys.press('p');
  const priority = app.bulkBar().getByRole('combobox', { name: 'Priority' });
  await expect(priority).toBeFocused();
  await app.choose(priority, /^Urgent$/);
  const tag = app.bulkBar().getByRole('textbox', { name: 'Add tag', exact: true });
  await tag.fill('bulk-e2e');
  await tag.press('Enter');

  const report = app.bulkBar().getByRole('alert');
  await expect(report).toContainText('Not changed: 1 ticket');
  await expect(report.getByRole('listitem')).toHaveCount(1);
  await expect(report.getByRole('listitem')).toContainText(numberText(gone!.number!));
  await expect(report.getByRole('listitem')).toContainText('not found');
  await expect(app.toast()).toContainText('Priority: Urgent; Tag bulk-e2e added on 2 tickets');
  await expect(app.statusBar()).toContainText(SOME_PENDING);
  await app.screenshot('bulk-bar');

  await app.goOnline();
  const { tickets } = await service.state();
  for (const ticket of [kept1!, kept2!]) {
    const now = tickets.get(ticket.id)!;
    expect(now.priority).toBe('urgent');
    expect(now.tags.filter((t) => t === 'bulk-e2e')).toEqual(['bulk-e2e']);
  }
  expect(tickets.has(gone!.id)).toBe(false);
});
