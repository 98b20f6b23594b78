import { pendingText } from './support/app';
import { expect, test } from './fixtures';

test('status, assignee and a tag set in the pane reach the service', async ({ app, service }) => {
  await app.signIn();
  const number = await app.openFirstTicket();
  const before = await service.ticketByNumber(number);
  const users = await service.userIds();
  const assignee = before.assigneeId === users.get('agent2@acme.test') ? 'Agent 3' : 'Agent 2';
  const assigneeId = users.get(`agent${assignee.slice(-1)}@acme.test`);
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
