import { pendingText } from './support/app';
import { expect, test } from './fixtures';

test('status, assignee and a tag set in the pane reach the service', async ({ app, service }) => {
  await app.signIn();
  const number = await app.openFirstTicket();
  const { tickets, contacts } = await service.state();
  const before = [...tickets.values()].find((t) => t.number === number)!;
  const requester = contacts.get(before.requesterId)!;
  const requesterCard = app.page.getByRole('region', { name: 'Requester' });
  await expect(requesterCard).toContainText(requester.name);
  await expect(requesterCard).toContainText(requester.email ?? requester.name);
  const users = await service.userIds();
  const [assignee, email] =
    before.assigneeId === users.get('agent2@acme.test')
      ? ['Agent 3', 'agent3@acme.test']
      : ['Agent 2', 'agent2@acme.test'];
  const assigneeId = users.get(email);
  expect(assigneeId).toBeDefined();
  expect(before.tags).not.toContain('e2e-triaged');

  await app.choose(app.field('Assignee'), new RegExp(`^${assignee}\\b`));
  await app.tag('e2e-triaged');
  // Last: a pending ticket leaves the "All open" view, the pane stays on it.
  await app.choose(app.field('Status'), /^pending$/i);
  await app.screenshot('ticket-pane');

  await expect
    .poll(async () => {
      const ticket = await service.ticketByNumber(number);
      return { status: ticket.status, assigneeId: ticket.assigneeId, tags: ticket.tags };
    })
    .toEqual({
      status: 'pending',
      assigneeId,
      tags: [...before.tags, 'e2e-triaged'].sort(),
    });
  await expect(app.statusBar()).toContainText(pendingText(0));
  await expect(app.notYetSynced(app.pane())).toHaveCount(0);
  await expect.poll(() => app.selectedText(app.field('Status'))).toMatch(/^pending$/i);
  await expect.poll(() => app.selectedText(app.field('Assignee'))).toMatch(assignee);
  await expect(app.removeTag('e2e-triaged')).toBeVisible();
});
