import { numberText } from './support/app';
import { expect, test } from './fixtures';

test('an unfinished reply survives closing the ticket, the window and the app, and goes once sent', async ({
  app,
  service,
  relaunch,
}) => {
  const { page } = app;
  await app.signIn();
  const number = await app.openFirstTicket();
  const other = await app.numberIn(app.rows().nth(1));
  const draft = `Hi, I checked the logs and the sync stopped at 9:14 (${Date.now()}); more`;
  const saved = page.getByText('Draft saved', { exact: true });
  const reopen = async () => {
    await app.row(number).click();
    await expect(app.pane()).toContainText(numberText(number));
  };

  await page.keyboard.press('n');
  await page.keyboard.type(draft);
  await expect(saved).toBeVisible();

  // The ticket closes (another one opens) and opens again.
  await app.row(other).click();
  await expect(app.pane()).toContainText(numberText(other));
  await expect(app.comment()).toHaveValue('');
  await reopen();
  await expect(app.comment()).toHaveValue(draft);
  await expect(app.kind('Internal note')).toBeChecked();

  // The window closes (reloads).
  await page.reload();
  await app.waitForWorkspace();
  await reopen();
  await expect(app.comment()).toHaveValue(draft);

  // The app quits and starts again.
  await relaunch();
  await app.waitForWorkspace();
  await reopen();
  await expect(app.comment()).toHaveValue(draft);
  await expect(app.kind('Internal note')).toBeChecked();

  await app.comment().press('End');
  await page.keyboard.type(' to follow.');
  await app.sendButton().click();
  await expect(app.comment()).toHaveValue('');
  await page.reload();
  await app.waitForWorkspace();
  await reopen();
  await expect(app.comment()).toHaveValue('');

  const ticket = await service.ticketByNumber(number);
  await expect
    .poll(async () =>
      [...(await service.state()).comments.values()]
        .filter((c) => c.ticketId === ticket.id && c.body.startsWith(draft))
        .map((c) => ({ body: c.body, public: c.public })),
    )
    .toEqual([{ body: `${draft} to follow.`, public: false }]);
});
