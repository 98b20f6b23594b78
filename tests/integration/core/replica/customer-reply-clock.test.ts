import { afterEach, describe, expect, it } from 'vitest';
import { listTickets } from '../../../../src-main/core/replica/ticket-queries';
import {
  IDS,
  LATER,
  NOW,
  T0,
  comment,
  newId,
  removeTempDirs,
  seededReplica,
} from './replica-fixtures';

/**
 * The customer-reply clock of the projection (`tickets.last_customer_reply_at`, a summary's
 * `lastCustomerReplyAt`): the requester's newest comment, else the ticket's creation, kept on
 * pulls and local changes alike.
 */

afterEach(removeTempDirs);

describe('lastCustomerReplyAt', () => {
  it('follows the requester’s comments as pulls bring and take them', () => {
    const t = seededReplica();
    const r = t.replica;
    const clock = () =>
      listTickets(r.db, { limit: 10 }, IDS.agent).tickets.find((x) => x.id === IDS.ticket)!
        .lastCustomerReplyAt;
    // The seeded comment is an agent's: the clock starts at the ticket's creation.
    expect(clock()).toBe(T0);

    const early = newId();
    const late = newId();
    r.applyPullPage(
      t.pages.page([
        t.pages.upsert('comment', comment({ id: late, authorId: null, createdAt: LATER })),
        t.pages.upsert('comment', comment({ id: early, authorId: null, createdAt: NOW })),
      ]),
    );
    expect(clock()).toBe(LATER);

    // The agent's own reply, queued here, does not stop the customer's clock.
    r.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket, body: 'On it', public: true },
      LATER,
    );
    expect(clock()).toBe(LATER);

    r.applyPullPage(t.pages.page([t.pages.remove('comment', late)]));
    expect(clock()).toBe(NOW);
    r.applyPullPage(t.pages.page([t.pages.remove('comment', early)]));
    expect(clock()).toBe(T0);
    // And after a restart, from the file.
    expect(
      listTickets(
        t.reopen().db,
        { sort: { field: 'lastCustomerReplyAt', direction: 'asc' } },
        IDS.agent,
      ).tickets.map((x) => [x.id, x.lastCustomerReplyAt]),
    ).toEqual([
      [IDS.ticket, T0],
      [IDS.ticket2, T0],
    ]);
  });
});
