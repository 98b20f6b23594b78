import { afterEach, describe, expect, it } from 'vitest';
import {
  IDS,
  LATER,
  NOW,
  T1,
  adminIdentity,
  baseIds,
  comment,
  company,
  contact,
  ftsRowCount,
  newId,
  outbox,
  projected,
  projectedTags,
  projectionMismatches,
  removeTempDirs,
  search,
  seededReplica,
  tenantChanges,
  ticket,
  user,
} from './replica-fixtures';

/**
 * Pull pages written into a real replica file (PROTOCOL.md, "Pull"): base rows, cursor and epoch,
 * snapshots, forward compatibility, tombstones, and the rebase of pending mutations on top.
 */

afterEach(removeTempDirs);

describe('a pull page', () => {
  it('writes base rows, the cursor and the epoch, and projects the tickets', () => {
    const { replica, pages } = seededReplica(undefined, false);
    expect(replica.cursor).toBe('0');
    expect(replica.epoch).toBeNull();
    const changes = tenantChanges(pages);
    const outcome = replica.applyPullPage(pages.page(changes));
    expect(outcome).toEqual({ applied: changes.length, skipped: 0, completed: true });
    expect(replica.cursor).toBe(String(changes.at(-1)!.seq));
    expect(replica.meta('cursor')).toBe(replica.cursor);
    expect(replica.epoch).toBe('epoch-1');
    expect(baseIds(replica, 'ticket')).toEqual([IDS.ticket, IDS.ticket2]);
    expect(baseIds(replica, 'user')).toEqual([IDS.agent, IDS.admin, IDS.other].sort());
    expect(replica.reader().get('ticket', IDS.ticket)).toEqual(ticket());
    expect(replica.reader().get('comment', IDS.comment)).toEqual(comment());
    expect(replica.reader().get('company', IDS.tenant)?.name).toBe('Acme Field Services');
    expect(replica.reader().get('profile', IDS.agent)?.title).toBe('Support agent');
    expect(replica.reader().get('preferences', IDS.agent)?.productUpdates).toBe(true);
    expect(projected(replica, IDS.ticket)).toMatchObject({ status: 'open', number: 7, pending: 0 });
    expect(projectedTags(replica, IDS.ticket)).toEqual(['hardware', 'printer']);
    expect(search(replica, 'toner')).toEqual([IDS.ticket]);
    expect(search(replica, 'coyote')).toEqual([IDS.ticket]);
    expect(search(replica, 'runner')).toEqual([IDS.ticket2]);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('stores a new epoch and cursor with every page', () => {
    const { replica, pages } = seededReplica();
    pages.epoch = 'epoch-2';
    const page = pages.page([pages.upsert('ticket', ticket({ subject: 'Printer fixed' }))]);
    replica.applyPullPage(page);
    expect(replica.epoch).toBe('epoch-2');
    expect(replica.cursor).toBe(page.cursor);
    expect(replica.reader().get('ticket', IDS.ticket)?.subject).toBe('Printer fixed');
    expect(search(replica, 'fixed')).toEqual([IDS.ticket]);
    expect(search(replica, 'subject:fire')).toEqual([]);
    expect(search(replica, 'subject:fixed')).toEqual([IDS.ticket]);
  });

  it('moves the cursor on an empty page', () => {
    const { replica, pages } = seededReplica();
    const page = { ...pages.page([]), cursor: '999' };
    expect(replica.applyPullPage(page)).toEqual({ applied: 0, skipped: 0, completed: true });
    expect(replica.cursor).toBe('999');
  });

  it('accepts a comment before its ticket and a ticket before its requester', () => {
    const { replica, pages } = seededReplica(undefined, false);
    const ticketId = newId();
    const contactId = newId();
    replica.beginSnapshot();
    replica.applyPullPage(
      pages.page(
        [pages.upsert('comment', comment({ id: newId(), ticketId, body: 'Fuser overheats' }))],
        { hasMore: true },
      ),
    );
    expect(replica.cursor).not.toBe('0');
    expect(projected(replica, ticketId)).toBeUndefined();
    replica.applyPullPage(
      pages.page([pages.upsert('ticket', ticket({ id: ticketId, requesterId: contactId }))], {
        hasMore: true,
      }),
    );
    expect(projected(replica, ticketId)).toMatchObject({ requesterId: contactId });
    expect(search(replica, 'fuser')).toEqual([ticketId]);
    expect(search(replica, 'daffy')).toEqual([]);
    expect(replica.projection.commentsOf(ticketId).map((c) => c.body)).toEqual(['Fuser overheats']);
    replica.applyPullPage(
      pages.page([pages.upsert('contact', contact({ id: contactId, name: 'Daffy Duck' }))]),
    );
    expect(search(replica, 'daffy')).toEqual([ticketId]);
    expect(replica.snapshotInProgress).toBe(false);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('lets the later copy of a row win within one page and across pages', () => {
    const { replica, pages } = seededReplica();
    replica.applyPullPage(
      pages.page(
        [
          pages.upsert('ticket', ticket({ status: 'pending' })),
          pages.upsert('ticket', ticket({ status: 'solved', tags: ['done'] })),
        ],
        { hasMore: true },
      ),
    );
    expect(projected(replica, IDS.ticket)?.status).toBe('solved');
    replica.applyPullPage(pages.page([pages.upsert('ticket', ticket({ status: 'closed' }))]));
    expect(replica.reader().get('ticket', IDS.ticket)?.status).toBe('closed');
    expect(projected(replica, IDS.ticket)?.status).toBe('closed');
    expect(projectedTags(replica, IDS.ticket)).toEqual(['hardware', 'printer']);
  });

  it('writes a page all or nothing: a failure leaves rows and cursor as they were', () => {
    const { replica, pages } = seededReplica();
    const cursor = replica.cursor;
    const badId = newId();
    replica.db.exec(
      `CREATE TEMP TRIGGER fail_insert BEFORE INSERT ON base WHEN NEW.id = '${badId}'
       BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    const page = pages.page([
      pages.upsert('ticket', ticket({ subject: 'Changed before the failure' })),
      pages.upsert('contact', contact({ id: badId })),
    ]);
    expect(() => replica.applyPullPage(page)).toThrow(/disk full/);
    expect(replica.cursor).toBe(cursor);
    expect(replica.reader().get('ticket', IDS.ticket)?.subject).toBe('Printer on fire');
    expect(projected(replica, IDS.ticket)?.subject).toBe('Printer on fire');
    replica.db.exec('DROP TRIGGER fail_insert');
    replica.applyPullPage(page);
    expect(replica.cursor).toBe(page.cursor);
    expect(projected(replica, IDS.ticket)?.subject).toBe('Changed before the failure');
  });
});

describe('forward compatibility', () => {
  it('skips unknown entities, ignores unknown fields, and still moves the cursor', () => {
    const { replica, pages } = seededReplica();
    const page = pages.page([
      pages.upsert('invoice', { id: newId(), amount: 12 }),
      pages.remove('invoice', newId()),
      pages.upsert('ticket', { ...ticket({ subject: 'With SLA' }), slaMinutes: 30, sla: { p: 1 } }),
      pages.upsert('user', { ...user(IDS.other, 'agent', 'Renamed Agent'), avatar: 'x.png' }),
    ]);
    expect(replica.applyPullPage(page)).toEqual({ applied: 2, skipped: 2, completed: true });
    expect(replica.cursor).toBe(page.cursor);
    const stored = replica.reader().get('ticket', IDS.ticket) as Record<string, unknown>;
    expect(stored.subject).toBe('With SLA');
    expect(stored).not.toHaveProperty('slaMinutes');
    expect(stored).not.toHaveProperty('sla');
    expect(replica.reader().get('user', IDS.other)).toEqual(
      user(IDS.other, 'agent', 'Renamed Agent'),
    );
    expect(
      replica.db.prepare("SELECT count(*) AS n FROM base WHERE entity = 'invoice'").get(),
    ).toEqual({ n: 0 });
  });

  it('skips invalid data of a known entity and keeps the row it had', () => {
    const { replica, pages } = seededReplica();
    const freshId = newId();
    const page = pages.page([
      pages.upsert('ticket', { ...ticket(), status: 'exploded' }),
      pages.upsert('ticket', { ...ticket({ id: freshId }), createdAt: 'yesterday' }),
      pages.upsert('comment', { ...comment({ id: newId() }), body: '' }),
      pages.upsert('ticket', ticket({ id: IDS.ticket2, subject: 'Still applied' })),
    ]);
    expect(replica.applyPullPage(page)).toEqual({ applied: 1, skipped: 3, completed: true });
    expect(replica.cursor).toBe(page.cursor);
    expect(replica.reader().get('ticket', IDS.ticket)?.status).toBe('open');
    expect(replica.reader().get('ticket', freshId)).toBeNull();
    expect(projected(replica, freshId)).toBeUndefined();
    expect(projected(replica, IDS.ticket2)?.subject).toBe('Still applied');
    expect(projectionMismatches(replica)).toEqual([]);
  });
});

describe('tombstones', () => {
  it('removes a deleted ticket from base and from the projection (tickets, tags, FTS)', () => {
    const { replica, pages } = seededReplica();
    expect(search(replica, 'printer')).toEqual([IDS.ticket]);
    const outcome = replica.applyPullPage(
      pages.page([pages.remove('ticket', IDS.ticket), pages.remove('comment', IDS.comment)]),
    );
    expect(outcome.applied).toBe(2);
    expect(replica.reader().get('ticket', IDS.ticket)).toBeNull();
    expect(replica.reader().get('comment', IDS.comment)).toBeNull();
    expect(projected(replica, IDS.ticket)).toBeUndefined();
    expect(projectedTags(replica, IDS.ticket)).toEqual([]);
    expect(
      replica.db.prepare("SELECT count(*) AS n FROM ticket_tags WHERE tag = 'printer'").get(),
    ).toEqual({ n: 0 });
    expect(search(replica, 'printer')).toEqual([]);
    expect(search(replica, 'toner')).toEqual([]);
    expect(ftsRowCount(replica)).toBe(1);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('takes a deleted comment out of its ticket search text', () => {
    const { replica, pages } = seededReplica();
    expect(search(replica, 'toner')).toEqual([IDS.ticket]);
    replica.applyPullPage(pages.page([pages.remove('comment', IDS.comment)]));
    expect(search(replica, 'toner')).toEqual([]);
    expect(projected(replica, IDS.ticket)).toBeDefined();
  });

  it('takes a deleted contact out of its tickets search text', () => {
    const { replica, pages } = seededReplica();
    replica.applyPullPage(pages.page([pages.remove('contact', IDS.contact)]));
    expect(search(replica, 'coyote')).toEqual([]);
    expect(projected(replica, IDS.ticket)).toBeDefined();
  });

  it('accepts a tombstone of a row it never had', () => {
    const { replica, pages } = seededReplica();
    const page = pages.page([pages.remove('ticket', newId()), pages.remove('comment', newId())]);
    expect(replica.applyPullPage(page).completed).toBe(true);
    expect(replica.cursor).toBe(page.cursor);
    expect(projectionMismatches(replica)).toEqual([]);
  });
});

describe('a snapshot (pull from 0)', () => {
  it('drops the rows it did not contain only when it ends, keeps those it did, and keeps pending changes on top', () => {
    const { replica, pages } = seededReplica();
    const localTicket = newId();
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
    replica.mutate(
      'createTicket',
      { id: localTicket, subject: 'Made offline', description: '', requesterId: IDS.contact },
      NOW,
    );
    const outboxBefore = outbox(replica);

    replica.beginSnapshot();
    expect(replica.cursor).toBe('0');
    expect(replica.snapshotInProgress).toBe(true);
    const first = replica.applyPullPage(
      pages.page(
        [
          pages.upsert('company', company()),
          pages.upsert('ticket', ticket({ priority: 'urgent', updatedAt: T1 })),
        ],
        { hasMore: true, remaining: 3 },
      ),
    );
    expect(first.completed).toBe(false);
    // Not dropped before the snapshot has ended.
    expect(replica.reader().get('ticket', IDS.ticket2)).not.toBeNull();
    expect(projected(replica, IDS.ticket2)).toBeDefined();
    expect(replica.snapshotInProgress).toBe(true);

    const last = replica.applyPullPage(
      pages.page([
        pages.upsert('contact', contact()),
        pages.upsert('user', user(IDS.agent)),
        pages.upsert('profile', replica.reader().get('profile', IDS.agent)!),
      ]),
    );
    expect(last.completed).toBe(true);
    expect(replica.snapshotInProgress).toBe(false);
    // Rows the snapshot did not contain are gone, with their projection.
    expect(baseIds(replica, 'ticket')).toEqual([IDS.ticket]);
    expect(baseIds(replica, 'comment')).toEqual([]);
    expect(baseIds(replica, 'contact')).toEqual([IDS.contact]);
    expect(baseIds(replica, 'user')).toEqual([IDS.agent]);
    expect(baseIds(replica, 'preferences')).toEqual([]);
    expect(projected(replica, IDS.ticket2)).toBeUndefined();
    expect(search(replica, 'toner')).toEqual([]);
    expect(search(replica, 'runner')).toEqual([]);
    // Rows it contained are kept, with the pending changes on top.
    expect(replica.reader().get('ticket', IDS.ticket)).toMatchObject({
      priority: 'urgent',
      status: 'pending',
    });
    expect(projected(replica, IDS.ticket)).toMatchObject({
      priority: 'urgent',
      status: 'pending',
      pending: 1,
    });
    expect(replica.reader().get('ticket', localTicket)?.subject).toBe('Made offline');
    expect(projected(replica, localTicket)).toMatchObject({ number: null, pending: 1 });
    expect(outbox(replica)).toEqual(outboxBefore);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('applies tombstones of rows deleted while it ran', () => {
    const { replica, pages } = seededReplica();
    replica.beginSnapshot();
    replica.applyPullPage(
      pages.page(
        [pages.upsert('ticket', ticket()), pages.upsert('ticket', ticket({ id: IDS.ticket2 }))],
        {
          hasMore: true,
        },
      ),
    );
    replica.applyPullPage(pages.page([pages.remove('ticket', IDS.ticket2)]));
    expect(baseIds(replica, 'ticket')).toEqual([IDS.ticket]);
    expect(projected(replica, IDS.ticket2)).toBeUndefined();
  });

  it('resumes after a restart from the page it had reached, and still drops what it did not contain', () => {
    const t = seededReplica();
    t.replica.beginSnapshot();
    const first = t.pages.page([t.pages.upsert('ticket', ticket())], { hasMore: true });
    t.replica.applyPullPage(first);
    const replica = t.reopen();
    expect(replica.snapshotInProgress).toBe(true);
    expect(replica.cursor).toBe(first.cursor);
    replica.applyPullPage(t.pages.page([t.pages.upsert('contact', contact())]));
    expect(baseIds(replica, 'ticket')).toEqual([IDS.ticket]);
    expect(baseIds(replica, 'contact')).toEqual([IDS.contact]);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('an incremental pull (not a snapshot) drops nothing', () => {
    const { replica, pages } = seededReplica();
    replica.applyPullPage(pages.page([pages.upsert('ticket', ticket({ status: 'solved' }))]));
    expect(baseIds(replica, 'ticket')).toEqual([IDS.ticket, IDS.ticket2]);
    expect(baseIds(replica, 'comment')).toEqual([IDS.comment]);
  });
});

describe('restartFromZero', () => {
  it('sets the cursor to 0, starts a snapshot and leaves the outbox alone', () => {
    const { replica, pages } = seededReplica();
    replica.applyPullPage(pages.page([pages.upsert('ticket', ticket({ subject: 'x y' }))]));
    replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['vip'] }, NOW);
    replica.markSent([1], NOW);
    replica.mutate('setTicketFields', { ticketId: IDS.ticket2, fields: { status: 'open' } }, NOW);
    const before = outbox(replica);
    expect(replica.cursor).not.toBe('0');
    replica.restartFromZero();
    expect(replica.cursor).toBe('0');
    expect(replica.snapshotInProgress).toBe(true);
    expect(outbox(replica)).toEqual(before);
    expect(replica.counts().pending).toBe(2);
    expect(projectedTags(replica, IDS.ticket)).toEqual(['hardware', 'printer', 'vip']);
  });
});

describe('rebase of pending mutations on a pull', () => {
  it('shows the server values of other fields with the local pending values on top', () => {
    const { replica, pages } = seededReplica();
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
    replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['vip'] }, NOW);
    replica.applyPullPage(
      pages.page([
        pages.upsert(
          'ticket',
          ticket({
            priority: 'high',
            subject: 'Printer still on fire',
            tags: ['hardware'],
            updatedAt: LATER,
          }),
        ),
      ]),
    );
    expect(replica.reader().get('ticket', IDS.ticket)).toMatchObject({
      status: 'pending',
      priority: 'high',
      subject: 'Printer still on fire',
      tags: ['hardware', 'vip'],
    });
    expect(projected(replica, IDS.ticket)).toMatchObject({
      status: 'pending',
      priority: 'high',
      priorityRank: 2,
      pending: 1,
    });
    expect(projectedTags(replica, IDS.ticket)).toEqual(['hardware', 'vip']);
    expect(search(replica, 'still')).toEqual([IDS.ticket]);
    // The base keeps what the server said.
    const base = replica.db
      .prepare("SELECT data FROM base WHERE entity = 'ticket' AND id = ?")
      .get(IDS.ticket) as { data: string };
    expect(JSON.parse(base.data)).toMatchObject({ status: 'open', priority: 'high' });
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('hides a pending value whose field the server changed meanwhile (it will conflict)', () => {
    const { replica, pages } = seededReplica();
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
    replica.applyPullPage(pages.page([pages.upsert('ticket', ticket({ status: 'solved' }))]));
    expect(replica.reader().get('ticket', IDS.ticket)?.status).toBe('solved');
    expect(outbox(replica)).toHaveLength(1);
  });

  it('a server delete of a ticket with a pending edit: the edit has no effect and stays queued', () => {
    const { replica, pages } = seededReplica();
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
    replica.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket, body: 'Offline note', public: false },
      NOW,
    );
    const queued = outbox(replica);
    replica.applyPullPage(
      pages.page([pages.remove('ticket', IDS.ticket), pages.remove('comment', IDS.comment)]),
    );
    expect(replica.reader().get('ticket', IDS.ticket)).toBeNull();
    expect(replica.ticket(IDS.ticket)).toBeNull();
    expect(projected(replica, IDS.ticket)).toBeUndefined();
    expect(search(replica, 'offline')).toEqual([]);
    expect(replica.db.prepare('SELECT count(*) AS n FROM overlay').get()).toEqual({ n: 0 });
    expect(outbox(replica)).toEqual(queued);
    expect(replica.pushBatch().map((m) => m.id)).toEqual([1, 2]);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('a pending local delete hides a ticket the server updates afterwards', () => {
    const { replica, pages } = seededReplica(adminIdentity);
    replica.mutate('deleteTicket', { ticketId: IDS.ticket }, NOW);
    expect(projected(replica, IDS.ticket)).toBeUndefined();
    replica.applyPullPage(
      pages.page([
        pages.upsert('ticket', ticket({ subject: 'Updated elsewhere' })),
        pages.upsert('comment', comment({ id: IDS.comment2, body: 'Another reply' })),
      ]),
    );
    expect(replica.reader().get('ticket', IDS.ticket)).toBeNull();
    expect(replica.reader().get('comment', IDS.comment2)).toBeNull();
    expect(projected(replica, IDS.ticket)).toBeUndefined();
    expect(search(replica, 'reply')).toEqual([]);
    expect(projectionMismatches(replica)).toEqual([]);
  });
});
