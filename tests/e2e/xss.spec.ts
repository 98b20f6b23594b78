import { randomUUID } from 'node:crypto';
import { expect, test } from './fixtures';

/**
 * Markup from other people (a ticket's subject and description, a contact's name, comments, a
 * macro's title; tags cannot hold any, the service refuses `<` in one) is shown as text: put on
 * the service by another client, synced to the desktop and shown in the list, the ticket, the
 * conversation, search results and the macro picker, it runs no script, opens no dialog, adds no
 * element, and the page reports no Content-Security-Policy violation. (The CSP has no report-uri: the page's own securitypolicyviolation events are
 * the report, collected here before any of the app's scripts run; the fixture also fails on one.)
 */

/** Each payload, if it ran, would bump window.__xss and log an error the fixture would catch. */
const RUN = "window.__xss=(window.__xss||0)+1;console.error('xss ran')";
const SUBJECT = `<img src=x onerror="${RUN}"> Xylograph <script>${RUN}</script> jams`;
const CONTACT = `<svg onload="${RUN}">Eve</svg> Mallory`;
const DESCRIPTION = `<iframe src="javascript:${RUN}"></iframe> see <a href="javascript:${RUN}">here</a>`;
const COMMENT = `<style>*{display:none}</style><b onmouseover="${RUN}">hover</b> [click](javascript:alert(1)) &lt;&amp;`;
const NOTE = `"><img src=x onerror=${RUN}> internal`;
const MACRO = `<script>${RUN}</script> Macro`;

test('markup in tickets, contacts, comments and macros renders as text and runs nothing', async ({
  app,
  service,
}) => {
  const { page } = app;
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  const contactId = randomUUID();
  const ticketId = randomUUID();
  await service.changeAsAdmin(
    { name: 'createContact', args: { id: contactId, name: CONTACT } },
    {
      name: 'createTicket',
      args: {
        id: ticketId,
        subject: SUBJECT,
        description: DESCRIPTION,
        requesterId: contactId,
        priority: 'urgent',
      },
    },
    { name: 'addComment', args: { id: randomUUID(), ticketId, body: NOTE, public: false } },
  );
  await service.customerWrites(ticketId, COMMENT);
  await service.saveMacro({ title: MACRO, actions: {}, reply: null });

  await app.signIn();
  const row = app.rows().filter({ hasText: 'Xylograph' });
  await expect(row).toContainText(SUBJECT);
  await row.click();
  await expect(app.pane().getByRole('heading', { level: 2 })).toHaveText(SUBJECT);
  await expect(page.getByRole('region', { name: 'Requester' })).toContainText(CONTACT);
  await expect(app.pane()).toContainText(DESCRIPTION);
  await expect(app.conversation()).toContainText(COMMENT);
  await expect(app.conversation()).toContainText(NOTE);

  // Search results show the subject as text too.
  await app.search().fill('Xylograph');
  await app.search().press('Enter');
  await expect(app.rows().filter({ hasText: 'Xylograph' })).toContainText(SUBJECT);
  await app.search().press('Escape');

  // The macro's title, in the macro picker of the open ticket.
  await app.pane().getByRole('heading', { level: 2 }).click();
  await page.keyboard.press('m');
  const picker = page.getByRole('dialog', { name: 'Apply a macro' });
  await expect(picker).toContainText(MACRO);
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();

  // Nothing ran, nothing was injected, nothing was blocked.
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
  const injected = page.locator(
    '#root [onerror], #root [onload], #root [onmouseover], #root script, #root iframe, #root style, #root a[href^="javascript:"], #root img[src="x"]',
  );
  await expect(injected).toHaveCount(0);
  expect(
    await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
  ).toEqual([]);
});
