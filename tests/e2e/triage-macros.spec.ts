import { expect, test } from './fixtures';

test('a macro an admin defines on the service, applied offline, sets the fields and replies with the requester’s first name', async ({
  app,
  service,
}) => {
  const { page } = app;
  const title = 'Password reset done';
  await service.saveMacro({
    title,
    actions: { status: 'solved', addTags: ['password-reset'] },
    reply: {
      body: 'Hi {{requester.firstName}}, your password has been reset. Regards, {{agent.firstName}}',
      public: true,
    },
  });
  await app.signIn();
  const number = await app.openFirstTicket();
  const { tickets, contacts } = await service.state();
  const ticket = [...tickets.values()].find((t) => t.number === number)!;
  const firstName = contacts.get(ticket.requesterId)!.name.split(' ')[0]!;
  const reply = `Hi ${firstName}, your password has been reset. Regards, Agent`;
  await app.goOffline();

  await page.keyboard.press('m');
  const picker = page.getByRole('dialog', { name: 'Apply a macro' });
  await expect(picker.getByRole('option', { name: new RegExp(title) })).toContainText(
    'Status: Solved, Tags added: password-reset, Public reply',
  );
  await picker.getByRole('combobox', { name: 'Macro' }).fill('passw');
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();

  await expect.poll(() => app.selectedText(app.field('Status'))).toBe('Solved');
  await expect(app.removeTag('password-reset')).toBeVisible();
  const sent = app.conversation().getByRole('listitem').filter({ hasText: reply });
  await expect(sent).toContainText('Public reply');
  await expect(app.toast()).toContainText(`macro “${title}” applied`);
  await expect(app.notYetSynced(app.pane())).toBeVisible();

  await app.goOnline();
  const after = await service.state();
  expect(after.tickets.get(ticket.id)).toMatchObject({ status: 'solved' });
  expect(after.tickets.get(ticket.id)!.tags).toContain('password-reset');
  const replies = [...after.comments.values()].filter(
    (c) => c.ticketId === ticket.id && c.body === reply,
  );
  expect(replies).toEqual([expect.objectContaining({ public: true })]);
});
