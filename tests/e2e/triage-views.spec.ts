import type { Ticket } from '../../src-shared/domain/entities';
import { numberText } from './support/app';
import { expect, test } from './fixtures';

const urgent = (tickets: Map<string, Ticket>) =>
  [...tickets.values()].filter((t) => t.priority === 'urgent');

test('a search saved as a view shows its count in the sidebar, kept right as tickets change here and on the service', async ({
  app,
  service,
}) => {
  const { page } = app;
  const keys = page.keyboard;
  await app.signIn();
  const before = urgent((await service.state()).tickets);

  await keys.press('/');
  await keys.type('priority:urgent');
  await keys.press('Enter');
  // From the search box itself: the palette's "Save the search as a view" (v outside a field).
  await keys.press('Control+k');
  await app.paletteInput().fill('save search');
  await keys.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Save as a view' });
  await expect(dialog.getByLabel('Search', { exact: true })).toHaveValue('priority:urgent');
  await dialog.getByLabel('View name', { exact: true }).fill('Urgent');
  await dialog.getByLabel('View name', { exact: true }).press('Enter');
  await expect(dialog).toBeHidden();
  await expect(app.viewButton('Urgent')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1, name: 'Urgent' })).toBeVisible();
  await expect.poll(() => app.viewCount('Urgent')).toBe(before.length);

  // Another agent raises a ticket to urgent on the service: the count follows by itself.
  const raised = [...(await service.state()).tickets.values()].find((t) => t.priority === 'low')!;
  await service.changeAsAdmin({
    name: 'setTicketFields',
    args: { ticketId: raised.id, fields: { priority: 'urgent' } },
  });
  await expect.poll(() => app.viewCount('Urgent')).toBe(before.length + 1);

  // Offline, lowering one here counts at once.
  await app.goOffline();
  const row = app
    .rows()
    .filter({ hasNotText: numberText(raised.number!) })
    .first();
  const loweredNumber = await app.numberIn(row);
  const lowered = before.find((t) => t.number === loweredNumber)!;
  await row.click();
  await app.choose(app.field('Priority'), /^Normal$/);
  await expect.poll(() => app.viewCount('Urgent')).toBe(before.length);
  await expect(app.row(lowered.number!)).toHaveCount(0);

  await app.goOnline();
  const after = urgent((await service.state()).tickets);
  expect(after).toHaveLength(before.length);
  expect(after.map((t) => t.id)).toContain(raised.id);
  expect(after.map((t) => t.id)).not.toContain(lowered.id);
  await expect.poll(() => app.viewCount('Urgent')).toBe(after.length);
});
