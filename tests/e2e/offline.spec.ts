import { pendingText, SOME_PENDING } from './support/app';
import { expect, test } from './fixtures';

test('changes made offline are marked pending, then sync once when the service is back', async ({
  app,
  service,
}) => {
  await app.signIn();
  const number = await app.openFirstTicket();
  const before = await service.ticketByNumber(number);
  // Both stay in the "All open" view, so the row stays in sight.
  const status = before.status === 'open' ? 'new' : 'open';
  const note = `Called the customer while the line was down (${Date.now()}).`;

  await service.stop();
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText('Offline');

  await app.choose(app.field('Status'), new RegExp(`^${status}$`, 'i'));
  await app.tag('e2e-offline');
  await app.sendComment('Internal note', note);
  const row = app.row(number);
  await expect(app.statusBar()).toContainText(SOME_PENDING);
  await expect(app.notYetSynced(app.pane())).toBeVisible();
  await expect(row).toHaveAttribute('data-pending', 'true');
  await expect(app.notYetSynced(row)).toBeVisible();
  await app.screenshot('offline-pending');

  await service.restart();
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText(pendingText(0), { timeout: 20_000 });
  await expect(app.statusBar()).toContainText('Online');
  await expect(app.notYetSynced(app.pane())).toHaveCount(0);
  await expect(row).not.toHaveAttribute('data-pending', 'true');
  await expect(app.notYetSynced(row)).toHaveCount(0);

  const { tickets, comments } = await service.state();
  const after = [...tickets.values()].find((t) => t.number === number);
  expect(after?.status).toBe(status);
  expect(after?.tags.filter((tag) => tag === 'e2e-offline')).toEqual(['e2e-offline']);
  const sent = [...comments.values()].filter((c) => c.body === note);
  expect(sent).toEqual([expect.objectContaining({ ticketId: before.id, public: false })]);
});
