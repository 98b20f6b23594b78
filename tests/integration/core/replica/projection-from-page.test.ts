import { afterEach, describe, expect, it } from 'vitest';
import type { Replica } from '../../../../src-main/core/replica/replica';
import {
  IDS,
  LATER,
  NOW,
  T0,
  comment,
  contact,
  newId,
  projectionMismatches,
  rebuildProjection,
  removeTempDirs,
  search,
  seededReplica,
  ticket,
} from './replica-fixtures';

/**
 * The projection as a pull page leaves it, now that it takes the page's rows instead of reading
 * them back and keeps the full-text row of a ticket whose text did not change: after every page
 * it must equal a projection built again from base and overlay.
 */

afterEach(removeTempDirs);

/** Rows, tags, customer-reply clocks and search answers: what callers can see of the projection. */
function visible(replica: Replica, words: string[]): unknown {
  return {
    rows: replica.db
      .prepare(
        `SELECT t.id, t.subject, t.status, t.priority, t.assignee_id, t.updated_at, t.pending,
                t.last_customer_reply_at,
                (SELECT group_concat(tag, ',') FROM (SELECT tag FROM ticket_tags
                   WHERE ticket_rowid = t.rowid ORDER BY tag)) AS tags
           FROM tickets t ORDER BY t.id`,
      )
      .all(),
    searches: words.map((word) => [word, search(replica, word)]),
  };
}

/** Checks the projection a page left against one built from scratch. */
function expectAsRebuilt(replica: Replica, words: string[]): void {
  expect(projectionMismatches(replica)).toEqual([]);
  const fromPages = visible(replica, words);
  rebuildProjection(replica);
  expect(fromPages).toEqual(visible(replica, words));
}

const WORDS = ['toner', 'coyote', 'runner', 'jammed', 'invoice', 'fixed', 'wile', 'beep'];

describe('the projection from a pull page', () => {
  it('keeps the full text and clock of a ticket whose status, priority and tags change', () => {
    const { replica, pages } = seededReplica();
    const reply = comment({ id: newId(), authorId: null, body: 'Still jammed', createdAt: NOW });
    replica.applyPullPage(pages.page([pages.upsert('comment', reply)]));
    replica.applyPullPage(
      pages.page([
        pages.upsert(
          'ticket',
          ticket({
            status: 'pending',
            priority: 'urgent',
            tags: ['printer', 'vip'],
            updatedAt: LATER,
          }),
        ),
      ]),
    );
    expect(search(replica, 'jammed')).toEqual([IDS.ticket]);
    expect(search(replica, 'toner')).toEqual([IDS.ticket]);
    const row = replica.db
      .prepare('SELECT status, last_customer_reply_at FROM tickets WHERE id = ?')
      .get(IDS.ticket);
    expect(row).toEqual({ status: 'pending', last_customer_reply_at: NOW });
    expectAsRebuilt(replica, [...WORDS, 'vip']);
  });

  it('rewrites the full text when the subject, description or requester change', () => {
    const { replica, pages } = seededReplica();
    replica.applyPullPage(
      pages.page([
        pages.upsert('ticket', ticket({ subject: 'Printer fixed', updatedAt: NOW })),
        pages.upsert(
          'ticket',
          ticket({
            id: IDS.ticket2,
            number: 8,
            subject: 'Cannot log in',
            description: 'Invoice portal refuses me',
            status: 'new',
            tags: [],
            requesterId: IDS.contact,
          }),
        ),
      ]),
    );
    expect(search(replica, 'fixed')).toEqual([IDS.ticket]);
    expect(search(replica, 'invoice')).toEqual([IDS.ticket2]);
    // The requester of ticket 2 is now Wile E. Coyote; Road Runner requests nothing.
    expect(search(replica, 'coyote')).toEqual([IDS.ticket, IDS.ticket2]);
    expect(search(replica, 'runner')).toEqual([]);
    replica.applyPullPage(
      pages.page([pages.upsert('contact', contact({ name: 'Wile Beep', email: null }))]),
    );
    expect(search(replica, 'beep')).toEqual([IDS.ticket, IDS.ticket2]);
    expect(search(replica, 'coyote')).toEqual([]);
    expectAsRebuilt(replica, WORDS);
  });

  it('indexes every comment of a ticket whose comments come in several pages', () => {
    const { replica, pages } = seededReplica(undefined, false);
    const id = newId();
    const early = comment({ id: newId(), ticketId: id, body: 'Toner everywhere', createdAt: T0 });
    const late = comment({
      id: newId(),
      ticketId: id,
      authorId: null,
      body: 'Beep',
      createdAt: NOW,
    });
    const gone = comment({ id: newId(), ticketId: id, body: 'Wile was here', createdAt: NOW });
    // A second ticket whose comments all come in the same page as it.
    const id2 = newId();
    const first = comment({ id: newId(), ticketId: id2, body: 'Invoice missing', createdAt: T0 });
    const second = comment({
      id: newId(),
      ticketId: id2,
      authorId: null,
      body: 'Fixed',
      createdAt: LATER,
    });
    replica.beginSnapshot();
    replica.applyPullPage(
      pages.page([pages.upsert('comment', early), pages.upsert('comment', gone)], {
        hasMore: true,
      }),
    );
    // The page holds one of the ticket's three comments, takes one away, and brings the ticket.
    replica.applyPullPage(
      pages.page([
        pages.upsert('contact', contact()),
        pages.upsert('comment', late),
        pages.remove('comment', gone.id),
        pages.upsert('ticket', ticket({ id, number: 9, subject: 'Jammed again' })),
        pages.upsert('comment', second),
        pages.upsert('comment', first),
        pages.upsert('ticket', ticket({ id: id2, number: 10, subject: 'Billing' })),
      ]),
    );
    expect(search(replica, 'toner')).toEqual([id]);
    expect(search(replica, 'beep')).toEqual([id]);
    expect(search(replica, 'wile')).toEqual([id, id2].sort());
    expect(search(replica, 'here')).toEqual([]);
    expect(search(replica, 'invoice')).toEqual([id2]);
    expect(search(replica, 'fixed')).toEqual([id2]);
    const clock = replica.db.prepare('SELECT last_customer_reply_at FROM tickets WHERE id = ?');
    expect(clock.pluck().get(id)).toBe(NOW);
    expect(clock.pluck().get(id2)).toBe(LATER);
    expectAsRebuilt(replica, [...WORDS, 'here']);
  });

  it('keeps a queued comment in the full text when a page changes its ticket', () => {
    const { replica, pages } = seededReplica();
    replica.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket, body: 'Invoice attached', public: false },
      NOW,
    );
    replica.applyPullPage(
      pages.page([
        pages.upsert('comment', comment({ id: newId(), body: 'Beep beep', createdAt: NOW })),
        pages.upsert('ticket', ticket({ status: 'solved', updatedAt: LATER })),
      ]),
    );
    expect(search(replica, 'invoice')).toEqual([IDS.ticket]);
    expect(search(replica, 'beep')).toEqual([IDS.ticket]);
    expect(search(replica, 'jammed')).toEqual([]);
    expectAsRebuilt(replica, WORDS);
  });
});

describe('the projection after a local mutation', () => {
  /** FTS5 writes a segment per transaction that changes the index: its record count shows one. */
  const ftsRecords = (replica: Replica) =>
    replica.db.prepare('SELECT count(*) FROM ticket_fts_data').pluck().get() as number;

  it('keeps the full-text row through status, priority, assignee and tag changes', () => {
    const { replica } = seededReplica();
    const before = ftsRecords(replica);
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { priority: 'high' } }, NOW);
    replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['billing'] }, NOW);
    replica.mutate('removeTags', { ticketId: IDS.ticket, tags: ['billing'] }, LATER);
    expect(ftsRecords(replica)).toBe(before);
    expect(search(replica, 'toner')).toEqual([IDS.ticket]);
    expectAsRebuilt(replica, WORDS);
  });

  it('rewrites the full text of a new subject, a new comment and a new ticket', () => {
    const { replica } = seededReplica();
    replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { subject: 'Invoice question' } },
      NOW,
    );
    expect(search(replica, 'invoice')).toEqual([IDS.ticket]);
    replica.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket, body: 'Beep from the depot', public: true },
      NOW,
    );
    expect(search(replica, 'depot')).toEqual([IDS.ticket]);
    const created = newId();
    replica.mutate(
      'createTicket',
      {
        id: created,
        subject: 'Fixed yesterday',
        description: 'Runner confirmed',
        requesterId: IDS.contact,
        priority: 'normal',
      },
      LATER,
    );
    expect(search(replica, 'yesterday')).toEqual([created]);
    expectAsRebuilt(replica, [...WORDS, 'depot', 'yesterday', 'question']);
  });
});
