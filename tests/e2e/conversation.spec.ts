import { pendingText } from './support/app';
import { expect, test } from './fixtures';

test('a public reply and an internal note reach the service as such', async ({ app, service }) => {
  await app.signIn();
  const number = await app.openFirstTicket();
  const ticket = await service.ticketByNumber(number);
  const stamp = Date.now();
  const reply = `Thanks, a replacement is on its way (${stamp}).`;
  const note = `Second failure this month, escalate if it happens again (${stamp}).`;

  await app.sendComment('Public reply', reply);
  await app.sendComment('Internal note', note);
  const items = app.conversation().getByRole('listitem');
  await expect(items.filter({ hasText: reply })).toContainText('Public reply');
  await expect(items.filter({ hasText: reply })).not.toContainText('Internal note');
  await expect(items.filter({ hasText: note })).toContainText('Internal note');
  await expect(items.filter({ hasText: note })).not.toContainText('Public reply');
  await expect(app.statusBar()).toContainText(pendingText(0));

  await expect
    .poll(async () => {
      const { comments } = await service.state();
      return [...comments.values()]
        .filter((c) => c.body === reply || c.body === note)
        .map((c) => ({ ticketId: c.ticketId, body: c.body, public: c.public }))
        .sort((a, b) => Number(b.public) - Number(a.public));
    })
    .toEqual([
      { ticketId: ticket.id, body: reply, public: true },
      { ticketId: ticket.id, body: note, public: false },
    ]);
});
