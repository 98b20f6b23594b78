import { randomUUID } from 'node:crypto';
import { expect, test } from './fixtures';

test('a change another client makes shows in the open ticket and the list by itself', async ({
  app,
  service,
}) => {
  await app.signIn();
  const number = await app.openFirstTicket();
  const ticket = await service.ticketByNumber(number);
  const subject = `Badge reader offline at the north entrance (${Date.now()})`;
  const reply = `On site now, replacing the reader (${Date.now()}).`;

  await service.changeAsAdmin(
    { name: 'setTicketFields', args: { ticketId: ticket.id, fields: { subject } } },
    {
      name: 'addComment',
      args: { id: randomUUID(), ticketId: ticket.id, body: reply, public: true },
    },
  );

  await expect(app.pane().getByRole('heading', { level: 2 })).toHaveText(subject);
  await expect(app.row(number)).toContainText(subject);
  await expect(app.conversation().getByRole('listitem').filter({ hasText: reply })).toContainText(
    'Public reply',
  );
});
