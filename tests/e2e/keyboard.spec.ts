import { numberText, pendingText } from './support/app';
import { expect, test } from './fixtures';

test('triage with the keyboard alone', async ({ app, service }) => {
  const { page } = app;
  const keys = page.keyboard;
  await app.open();
  await app.fillSignIn();
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await app.waitForWorkspace();
  const selected = app.list().getByRole('option', { selected: true });

  await keys.press('/');
  await expect(app.search()).toBeFocused();
  await keys.type('printer');
  await keys.press('Escape');
  await expect(app.search()).toHaveValue('');
  await expect(app.search()).not.toBeFocused();

  // j / k select and open; Enter then moves into the pane.
  await keys.press('j');
  await expect(selected).toHaveCount(1);
  const first = await app.numberIn(selected);
  await expect(app.pane()).toContainText(numberText(first));
  await keys.press('j');
  await expect(selected).not.toContainText(numberText(first));
  const second = await app.numberIn(selected);
  await expect(app.pane()).toContainText(numberText(second));
  await keys.press('k');
  await expect(selected).toContainText(numberText(first));
  await expect(app.pane()).toContainText(numberText(first));
  await keys.press('Enter');
  await expect
    .poll(() => app.pane().evaluate((pane) => pane.contains(document.activeElement)))
    .toBe(true);

  // Status: new <-> open keeps the ticket in the "All open" view.
  const before = await service.ticketByNumber(first);
  await keys.press('s');
  await expect(app.field('Status')).toBeFocused();
  await keys.press(before.status === 'new' ? 'ArrowDown' : 'ArrowUp');
  const statusNow = async () =>
    (await app.selectedText(app.field('Status'))).toLowerCase().replace(/\s+/g, '_');
  await expect.poll(statusNow).not.toBe(before.status);
  const status = await statusNow();
  await keys.press('Escape');

  await keys.press('t');
  await expect(app.addTag()).toBeFocused();
  await keys.type('kbd-only');
  await keys.press('Enter');
  await expect(app.removeTag('kbd-only')).toBeVisible();
  await keys.press('Escape');

  const reply = `Sorted without touching the mouse (${Date.now()}).`;
  await keys.press('r');
  await expect(app.comment()).toBeFocused();
  await expect(app.kind('Public reply')).toBeChecked();
  await keys.type(reply);
  await keys.press('Control+Enter');
  const sent = app.conversation().getByRole('listitem').filter({ hasText: reply });
  await expect(sent).toContainText('Public reply');
  await keys.press('Escape');

  await keys.press('?');
  await expect(app.shortcuts()).toBeVisible();
  await app.screenshot('shortcuts');
  await keys.press('Escape');
  await expect(app.shortcuts()).toBeHidden();

  await expect(app.statusBar()).toContainText(pendingText(0));
  await expect
    .poll(async () => {
      const { tickets, comments } = await service.state();
      const ticket = tickets.get(before.id);
      const comment = [...comments.values()].find((c) => c.body === reply);
      return {
        status: ticket?.status,
        tagged: ticket?.tags.includes('kbd-only'),
        public: comment?.public,
      };
    })
    .toEqual({ status, tagged: true, public: true });
});
