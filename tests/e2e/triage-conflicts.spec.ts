import type { TicketPriority } from '../../src-shared/domain/enums';
import { pendingText } from './support/app';
import { expectNoSeriousViolations } from './support/axe';
import { expect, STAYS_OFFLINE, test } from './fixtures';

test.use({ engine: STAYS_OFFLINE });

const LABEL: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};
/** Two priorities other than `from`: mine, then theirs. */
const twoOthers = (from: TicketPriority) =>
  (['low', 'normal', 'high', 'urgent'] as const).filter((p) => p !== from).slice(0, 2);

test('a conflict shows both values side by side, and one key keeps mine (Shift+M) or theirs (Shift+T)', async ({
  app,
  service,
}) => {
  const { page } = app;
  const keys = page.keyboard;
  await app.signIn();
  const numbers = await Promise.all([0, 1].map((i) => app.numberIn(app.rows().nth(i))));
  const [a, b] = await Promise.all(numbers.map((n) => service.ticketByNumber(n)));
  const [aMine, aTheirs] = twoOthers(a!.priority);
  const [bMine, bTheirs] = twoOthers(b!.priority);

  await app.goOffline();
  for (const [ticket, mine] of [
    [a!, aMine!],
    [b!, bMine!],
  ] as const) {
    await app.openTicket(ticket.number!);
    await app.choose(app.field('Priority'), new RegExp(`^${LABEL[mine]}$`));
    await expect(app.toast()).toContainText(`Priority: ${LABEL[mine]}`);
  }

  // Another agent changes the same field on the service meanwhile.
  await service.restart();
  await service.changeAsAdmin(
    { name: 'setTicketFields', args: { ticketId: a!.id, fields: { priority: aTheirs } } },
    { name: 'setTicketFields', args: { ticketId: b!.id, fields: { priority: bTheirs } } },
  );
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText('2 need attention');

  await app.openTicket(a!.number!);
  const conflict = app.needsAttention().getByRole('table');
  await expect(conflict.getByRole('row', { name: /Priority/ })).toHaveText(
    `Priority${LABEL[aMine!]}${LABEL[aTheirs!]}`,
  );
  await expect(conflict.getByRole('columnheader')).toHaveText([
    'Field',
    'Yours',
    'Theirs (on the service)',
  ]);
  await expectNoSeriousViolations(page, 'a conflict to resolve');
  await keys.press('Shift+M');
  await expect(app.needsAttention()).toHaveCount(0);

  await app.openTicket(b!.number!);
  await expect(app.needsAttention()).toContainText(LABEL[bTheirs!]);
  await keys.press('Shift+T');
  await expect(app.needsAttention()).toHaveCount(0);

  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText(pendingText(0));
  await expect(app.statusBar()).not.toContainText('attention');
  const { tickets } = await service.state();
  expect(tickets.get(a!.id)!.priority).toBe(aMine);
  expect(tickets.get(b!.id)!.priority).toBe(bTheirs);
  await expect.poll(() => app.selectedText(app.field('Priority'))).toBe(LABEL[bTheirs!]);
});

test('a change refused because its ticket was deleted meanwhile is still shown: Shift+A opens it, Shift+T dismisses it', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  const ticket = await service.ticketByNumber(await app.openFirstTicket());
  const [mine] = twoOthers(ticket.priority);

  await app.goOffline();
  await app.choose(app.field('Priority'), new RegExp(`^${LABEL[mine!]}$`));
  await expect(app.toast()).toContainText(`Priority: ${LABEL[mine!]}`);

  // An admin deletes the ticket on the service meanwhile: the change can never apply.
  await service.restart();
  await service.changeAsAdmin({ name: 'deleteTicket', args: { ticketId: ticket.id } });
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText('1 need attention');
  await expect(app.row(ticket.number!)).toHaveCount(0);

  await app.openAttentionOfDeletedTicket();
  await expect(app.needsAttention()).toContainText('The service refused a change');
  await expect(app.needsAttention()).toContainText(LABEL[mine!]);
  await expectNoSeriousViolations(page, 'a refused change of a deleted ticket');

  await app.dismissOnlyAttention();
  await expect(page.getByRole('button', { name: 'Show what needs attention' })).toHaveCount(0);
});
