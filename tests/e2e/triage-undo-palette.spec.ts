import { numberText } from './support/app';
import { expect, test } from './fixtures';

test('each triage action offers Undo in a toast, Ctrl+Z takes back the last change, and Ctrl+K runs actions and opens tickets by number or subject', async ({
  app,
  service,
}) => {
  const { page } = app;
  const keys = page.keyboard;
  await app.signIn();
  const number = await app.openFirstTicket();
  const other = await service.ticketByNumber(await app.numberIn(app.rows().nth(1)));
  const third = await service.ticketByNumber(await app.numberIn(app.rows().nth(2)));
  const before = await service.ticketByNumber(number);
  const label = (await app.selectedText(app.field('Priority'))).trim();
  await app.goOffline();

  // The toast's Undo.
  await app.choose(app.field('Priority'), label === 'Urgent' ? /^Low$/ : /^Urgent$/);
  await expect(app.toast()).toContainText(`#${number}: Priority:`);
  await app.undoButton().click();
  await expect(app.toast()).not.toContainText('Priority');
  await expect.poll(() => app.selectedText(app.field('Priority'))).toBe(label);

  // Ctrl+Z, away from the tag field (there it undoes typing).
  await app.tag('undo-me');
  await expect(app.toast()).toContainText('Tag undo-me added');
  await keys.press('Escape');
  await keys.press('Control+z');
  await expect(app.removeTag('undo-me')).toHaveCount(0);

  // The palette: an action by name…
  await keys.press('Control+k');
  await expect(app.paletteInput()).toBeFocused();
  await keys.type('prio');
  await expect(app.palette().getByRole('option', { selected: true })).toContainText(
    'Priority (of the selection, if any)p',
  );
  await keys.press('Enter');
  await expect(app.palette()).toBeHidden();
  await expect(app.field('Priority')).toBeFocused();

  // …a ticket by number…
  await keys.press('Control+k');
  await keys.type(`#${other.number}`);
  const byNumber = app.palette().getByRole('option', { name: numberText(other.number!) });
  await expect(byNumber).toContainText(other.subject);
  await keys.press('ArrowDown');
  await keys.press('ArrowUp');
  await byNumber.click();
  await expect(app.pane()).toContainText(numberText(other.number!));

  // …and by the words of its subject.
  await keys.press('Control+k');
  await keys.type(third.subject);
  const bySubject = app.palette().getByRole('option', { name: numberText(third.number!) });
  await expect(bySubject).toBeVisible();
  await app.screenshot('command-palette');
  await bySubject.click();
  await expect(app.pane()).toContainText(numberText(third.number!));
  await expect(app.pane().getByRole('heading', { level: 2 })).toHaveText(third.subject);

  await app.goOnline();
  const after = await service.ticketByNumber(number);
  expect(after.priority).toBe(before.priority);
  expect(after.tags).toEqual(before.tags);
});
