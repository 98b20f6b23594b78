import { windowStart } from '../../src-shared/bridge/offline-window';
import type { Ticket } from '../../src-shared/domain/entities';
import { expectNoSeriousViolations } from './support/axe';
import { numberText } from './support/app';
import { expect, STAYS_OFFLINE, test } from './fixtures';

test.use({ engine: STAYS_OFFLINE });

const NOT_KEPT =
  'Older tickets are not kept offline on this computer: connect to fetch them from the service.';

test('keep offline: older tickets leave, open on demand by number or a search on the server, and are clearly unavailable offline', async ({
  app,
  service,
}) => {
  const { page } = app;
  const { tickets } = await service.state();
  const cutoff = windowStart(new Date(), 1);
  const byNumber = (a: Ticket, b: Ticket) => b.number! - a.number!;
  const open = (t: Ticket) => t.status === 'new' || t.status === 'open';
  const old = [...tickets.values()].filter((t) => t.updatedAt < cutoff).sort(byNumber);
  const [wanted, offlineOne] = old.filter(open);
  // An older ticket's subject: its words (the number in it too) find few tickets but it.
  const searched = old.find((t) => t !== wanted && t !== offlineOne)!;
  const openInWindow = [...tickets.values()].filter((t) => open(t) && t.updatedAt >= cutoff);

  await app.signIn();
  await expect(app.viewButton('All open')).toBeVisible();
  expect(await app.viewCount('All open')).toBeGreaterThan(openInWindow.length);
  // By number, the palette finds the older ticket here.
  await page.keyboard.press('Control+k');
  await app.paletteInput().fill(`#${wanted!.number}`);
  await expect(
    app.palette().getByRole('option', { name: numberText(wanted!.number!) }),
  ).toContainText(wanted!.subject);
  await page.keyboard.press('Escape');

  await app.openSettings('Local data & diagnostics');
  const panel = page.getByRole('tabpanel', { name: 'Local data & diagnostics' });
  const keep = panel.getByRole('combobox', { name: 'Keep offline', exact: true });
  await expect(keep).toHaveValue('all');
  await app.choose(keep, /^Tickets updated in the last month$/);
  await expect(
    panel.getByText(/^\d+ older tickets were removed from this computer\.$/),
  ).toBeVisible();
  await expect(panel).toContainText('Every ticket updated since');
  await expectNoSeriousViolations(page, 'settings, keep offline');
  await app.screenshot('settings-keep-offline');
  await page.keyboard.press('Escape');

  // The older tickets left the list; the palette offers to fetch one by its number.
  await expect(app.viewButton('All open')).toBeVisible();
  await expect.poll(() => app.viewCount('All open')).toBe(openInWindow.length);
  await page.keyboard.press('Control+k');
  await app.paletteInput().fill(`#${wanted!.number}`);
  const fetch = app.palette().getByRole('option', {
    name: `#${wanted!.number}: not kept offline, fetch it from the service`,
  });
  await fetch.click();
  await expect(app.pane()).toContainText(numberText(wanted!.number!));
  await expect(app.pane().getByRole('heading', { level: 2 })).toHaveText(wanted!.subject);
  await expect(app.pane().getByRole('note').filter({ hasText: 'Not kept offline' })).toBeVisible();
  await app.screenshot('ticket-not-kept-offline');

  // A search here, then the same words on the server among the older tickets.
  await app.search().fill(searched.subject);
  await app.search().press('Enter');
  const older = page.getByRole('region', { name: 'Server search' });
  await older.getByRole('button', { name: 'Search older tickets on the server' }).click();
  const results = older.getByRole('list', { name: 'Older tickets on the server' });
  const result = results.getByRole('button', { name: numberText(searched.number!) });
  await expect(result).toContainText(searched.subject);
  await app.screenshot('search-older-tickets');
  await result.click();
  await expect(app.pane().getByRole('heading', { level: 2 })).toHaveText(searched.subject);
  await expect(app.pane()).toContainText(numberText(searched.number!));

  // Offline: the clear state, under the search and for a number.
  await app.goOffline();
  await expect(older).toContainText('Older tickets are not available offline');
  await expect(
    older.getByRole('button', { name: 'Search older tickets on the server' }),
  ).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await app.paletteInput().fill(`#${offlineOne!.number}`);
  await app
    .palette()
    .getByRole('option', {
      name: `#${offlineOne!.number}: not kept offline, fetch it from the service`,
    })
    .click();
  await expect(app.pane().getByRole('alert')).toHaveText(NOT_KEPT);
  await app.screenshot('offline-not-kept');
});
