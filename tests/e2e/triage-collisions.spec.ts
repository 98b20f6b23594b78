import { numberText, pendingText } from './support/app';
import { expectNoSeriousViolations } from './support/axe';
import { expect, STAYS_OFFLINE, test } from './fixtures';

// The app stays offline while the service changes behind its back, until "Sync now".
test.use({ engine: STAYS_OFFLINE });

test('replies queued offline on tickets that changed meanwhile are held, with what changed: send anyway, edit, discard', async ({
  app,
  service,
}) => {
  const { page } = app;
  const keys = page.keyboard;
  await app.signIn();
  const numbers = await Promise.all([0, 1, 2].map((i) => app.numberIn(app.rows().nth(i))));
  const [a, b, c] = await Promise.all(numbers.map((n) => service.ticketByNumber(n)));
  const users = await service.userIds();
  const stamp = Date.now();
  const reply = (n: number) => `About #${n}: we are on it (${stamp}).`;

  await app.goOffline();
  for (const ticket of [a!, b!, c!]) {
    await app.row(ticket.number!).click();
    await expect(app.pane()).toContainText(numberText(ticket.number!));
    await app.sendComment('Public reply', reply(ticket.number!));
  }

  // Meanwhile on the service: the requester writes and the status moves on #a, another agent
  // takes #b, #c is solved.
  await service.restart();
  const customerSays = 'Actually it works again after a restart.';
  const aStatus = a!.status === 'pending' ? 'open' : 'pending';
  const taker = b!.assigneeId === users.get('agent2@acme.test') ? 'agent3' : 'agent2';
  await service.customerWrites(a!.id, customerSays);
  await service.changeAsAdmin(
    { name: 'setTicketFields', args: { ticketId: a!.id, fields: { status: aStatus } } },
    {
      name: 'setTicketFields',
      args: { ticketId: b!.id, fields: { assigneeId: users.get(`${taker}@acme.test`)! } },
    },
    { name: 'setTicketFields', args: { ticketId: c!.id, fields: { status: 'solved' } } },
  );
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText('3 replies held');

  // #a: what changed, then "send anyway" (Shift+S).
  await page.getByRole('button', { name: 'Show held reply' }).click();
  await expect(app.pane()).toContainText(numberText(a!.number!));
  const held = app.heldReplies();
  await expect(held).toContainText(`The requester replied: “${customerSays}”`);
  await expect(held).toContainText(/Status changed from \w[\w ]* to (Open|Pending)/);
  await expect(held).toContainText(reply(a!.number!));
  await app.screenshot('held-reply');
  await expectNoSeriousViolations(page, 'a held reply');
  await keys.press('Shift+S');
  await expect(held).toHaveCount(0);

  // #b: assigned to someone else meanwhile; edited (Shift+E), then sent.
  await keys.press('h');
  await expect(app.pane()).toContainText(numberText(b!.number!));
  await expect(held).toContainText(`Assigned to Agent ${taker.slice(-1)}`);
  await keys.press('Shift+E');
  const edit = held.getByRole('textbox', { name: 'Edited reply' });
  await expect(edit).toBeFocused();
  const edited = `Agent ${taker.slice(-1)} has this now and will reply soon (${stamp}).`;
  await edit.fill(edited);
  await edit.press('Control+Enter');
  await expect(held).toHaveCount(0);

  // #c: discarded.
  await keys.press('h');
  await expect(app.pane()).toContainText(numberText(c!.number!));
  await expect(held).toContainText('Status changed from');
  await held.getByRole('button', { name: 'Discard' }).click();
  await expect(held).toHaveCount(0);

  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText(pendingText(0));
  await expect(app.statusBar()).not.toContainText('held');
  const { comments } = await service.state();
  const on = (ticketId: string) => [...comments.values()].filter((x) => x.ticketId === ticketId);
  expect(on(a!.id).filter((x) => x.body === reply(a!.number!))).toHaveLength(1);
  expect(on(b!.id).filter((x) => x.body === edited)).toHaveLength(1);
  expect(on(b!.id).filter((x) => x.body === reply(b!.number!))).toHaveLength(0);
  expect(on(c!.id).filter((x) => x.body === reply(c!.number!))).toHaveLength(0);
});

test('a held reply whose ticket is deleted meanwhile is not lost: its text stays under "needs attention" until dismissed', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  const ticket = await service.ticketByNumber(await app.openFirstTicket());
  const body = `A reply that waits (${Date.now()}).`;

  await app.goOffline();
  await app.sendComment('Public reply', body);
  await service.restart();
  await service.customerWrites(ticket.id, 'Never mind, it works.');
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText('1 reply held');

  // An admin deletes the ticket on the service: the held reply can go nowhere.
  await service.changeAsAdmin({ name: 'deleteTicket', args: { ticketId: ticket.id } });
  await app.syncNowButton().click();
  await expect(app.statusBar()).toContainText('1 need attention');
  await expect(app.statusBar()).not.toContainText('held');

  await app.openAttentionOfDeletedTicket();
  await expect(app.needsAttention()).toContainText(
    'Not sent (A reply): its ticket was deleted before it was sent.',
  );
  await expect(app.needsAttention().getByLabel('What it said')).toHaveText(body);
  await expectNoSeriousViolations(page, 'a held reply of a deleted ticket');
  await app.dismissOnlyAttention();
  expect([...(await service.state()).comments.values()].some((c) => c.body === body)).toBe(false);
});
