import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './fixtures';

test('a render error shows a clear screen with Reload focused; the error goes to the diagnostics log', async ({
  app,
}) => {
  const { page } = app;
  await app.signIn();
  // A test-only way to break a render: the preview's bridge answers a ticket whose comments the
  // renderer cannot read (nothing in the app can make this answer).
  await page.route('**/__bridge/invoke/getTicket', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.value.comments = null;
    await route.fulfill({ response, json: body });
  });
  await app.rows().first().click();

  await expect(
    page.getByRole('heading', { level: 1, name: 'Help Desk stopped unexpectedly' }),
  ).toBeVisible();
  await expect(page.getByText('Your pending changes are saved on this computer')).toBeVisible();
  const reload = page.getByRole('button', { name: 'Reload' });
  await expect(reload).toBeFocused();
  await expectNoSeriousViolations(page, 'the error screen');

  await page.unroute('**/__bridge/invoke/getTicket');
  await page.keyboard.press('Enter');
  await app.waitForWorkspace();
  await app.openFirstTicket();

  await app.openSettings('Local data & diagnostics');
  const panel = page.getByRole('tabpanel', { name: 'Local data & diagnostics' });
  await panel.getByRole('button', { name: 'Copy diagnostics' }).click();
  const report = panel.getByRole('textbox', { name: 'Diagnostics report' });
  await expect(report).toHaveValue(
    /"level":"error","event":"renderer.error","message":"[^"]+","stack":"TypeError: /,
  );
});
