import { numberText } from './support/app';
import { expect, test } from './fixtures';

test('tickets made offline, for a contact and for a new contact, show "number pending" until the service numbers them', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  const known = [...(await service.state()).contacts.values()][0]!;
  const stamp = Date.now();
  const forNew = `Badge printer jams at reception (${stamp})`;
  const forKnown = `Invoice copy requested again (${stamp})`;
  const dialog = page.getByRole('dialog', { name: 'New ticket' });
  await app.goOffline();

  // A new contact, created offline with the ticket.
  await page.keyboard.press('c');
  await dialog.getByRole('radio', { name: 'A new contact' }).check();
  await dialog.getByLabel('Contact name', { exact: true }).fill('Dana Whitfield');
  await dialog.getByLabel('Contact email', { exact: true }).fill('dana.whitfield@example.test');
  await dialog.getByLabel('Subject', { exact: true }).fill(forNew);
  await dialog.getByLabel('Description', { exact: true }).fill('It jams on every second badge.');
  await dialog.getByRole('button', { name: 'Create ticket' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.pane().getByRole('heading', { level: 2 })).toHaveText(forNew);
  await expect(app.pane()).toContainText('number pending');
  await expect(page.getByRole('region', { name: 'Requester' })).toContainText('Dana Whitfield');
  const newRow = app.rows().filter({ hasText: forNew });
  await expect(newRow).toContainText('number pending');
  await expect(app.notYetSynced(newRow)).toBeVisible();

  // An existing contact, found by name.
  await page.getByRole('button', { name: 'New ticket', exact: true }).click();
  await dialog.getByLabel('Find a contact', { exact: true }).fill(known.name);
  await expect
    .poll(() => app.selectedText(dialog.getByRole('combobox', { name: 'Contact', exact: true })))
    .toContain(known.name);
  await dialog.getByLabel('Subject', { exact: true }).fill(forKnown);
  await app.choose(dialog.getByRole('combobox', { name: 'Priority' }), /^High$/);
  await dialog.getByLabel('Subject', { exact: true }).press('Control+Enter');
  await expect(dialog).toBeHidden();
  await expect(app.pane().getByRole('heading', { level: 2 })).toHaveText(forKnown);
  await expect(app.pane()).toContainText('number pending');
  await expect(page.getByRole('region', { name: 'Requester' })).toContainText(known.name);

  await app.goOnline();
  const { tickets, contacts } = await service.state();
  const made = (subject: string) => [...tickets.values()].filter((t) => t.subject === subject);
  expect(made(forNew)).toHaveLength(1);
  expect(made(forKnown)).toHaveLength(1);
  const [ticketForNew] = made(forNew);
  const [ticketForKnown] = made(forKnown);
  expect(contacts.get(ticketForNew!.requesterId)).toMatchObject({
    name: 'Dana Whitfield',
    email: 'dana.whitfield@example.test',
  });
  expect(
    [...contacts.values()].filter((c) => c.email === 'dana.whitfield@example.test'),
  ).toHaveLength(1);
  expect(ticketForKnown).toMatchObject({ requesterId: known.id, priority: 'high', status: 'new' });
  expect(ticketForNew!.number).toEqual(expect.any(Number));
  await expect(app.pane()).toContainText(numberText(ticketForKnown!.number!));
  await expect(newRow).toContainText(numberText(ticketForNew!.number!));
  await expect(newRow).not.toContainText('number pending');
});
