import { lastCustomerReplyAt } from '../../src-shared/bridge/customer-reply';
import { elapsedSince } from '../../src-shared/bridge/elapsed';
import type { Comment, Ticket } from '../../src-shared/domain/entities';
import { numberText } from './support/app';
import { expect, test } from './fixtures';

/** The "All open" tickets in the order of a clock, oldest first (ties by id), as numbers. */
function oldestFirst(
  tickets: Map<string, Ticket>,
  comments: Map<string, Comment>,
  clock: 'created' | 'customer',
): Array<{ number: number; at: string }> {
  const all = [...comments.values()];
  return [...tickets.values()]
    .filter((t) => t.status === 'new' || t.status === 'open')
    .map((t) => ({
      number: t.number!,
      id: t.id,
      at:
        clock === 'created'
          ? t.createdAt
          : lastCustomerReplyAt(
              t,
              all.filter((c) => c.ticketId === t.id),
            ),
    }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

test('each ticket shows its age and the time since the customer last wrote, and the list sorts by either, live', async ({
  app,
  service,
}) => {
  const { page } = app;
  await app.signIn();
  const { tickets, comments } = await service.state();
  const shown = async (n: number) =>
    Promise.all([...Array(n).keys()].map((i) => app.numberIn(app.rows().nth(i))));

  await page.keyboard.press('o');
  const sort = page.getByRole('combobox', { name: 'Sort' });
  await expect(sort).toBeFocused();
  await app.choose(sort, /^Oldest ticket first$/);
  const byAge = oldestFirst(tickets, comments, 'created');
  await expect.poll(() => shown(5)).toEqual(byAge.slice(0, 5).map((t) => t.number));
  await expect
    .poll(async () => (await app.rows().first().textContent()) ?? '')
    .toContain(`Age ${elapsedSince(byAge[0]!.at, new Date())}`);

  await app.choose(sort, /^Oldest customer reply first$/);
  const byCustomer = oldestFirst(tickets, comments, 'customer');
  await expect.poll(() => shown(5)).toEqual(byCustomer.slice(0, 5).map((t) => t.number));
  const waiting = byCustomer[0]!;
  await expect
    .poll(async () => (await app.row(waiting.number).textContent()) ?? '')
    .toContain(`Customer ${elapsedSince(waiting.at, new Date())} ago`);

  // The customer who waited longest writes again: their clock starts over and they move down.
  await app.row(waiting.number).click();
  await expect(app.pane()).toContainText(numberText(waiting.number));
  await service.customerWrites(
    (await service.ticketByNumber(waiting.number)).id,
    'Any news on this one?',
  );
  await app.syncNowButton().click();
  await expect(app.pane().getByLabel('Clocks')).toContainText('Customer last wrote <1m ago');
  await expect.poll(() => shown(4)).toEqual(byCustomer.slice(1, 5).map((t) => t.number));
  // Now the last of the list.
  await app.list().press('End');
  const last = app.list().getByRole('option', { selected: true });
  await expect(last).toContainText(numberText(waiting.number));
  await expect(last).toContainText('Customer <1m ago');
});
