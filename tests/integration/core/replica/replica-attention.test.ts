import { afterEach, describe, expect, it } from 'vitest';
import { LocalMutationError } from '../../../../src-main/core/replica/replica';
import type { MutationResult } from '../../../../src-shared/protocol/sync';
import {
  IDS,
  LATER,
  NOW,
  newId,
  outbox,
  projected,
  projectionDump,
  projectionMismatches,
  rebuildProjection,
  removeTempDirs,
  search,
  seededReplica,
  ticket,
  type TestReplica,
} from './replica-fixtures';

/**
 * Needs-attention items and their resolution, renumbering after a lost server state, and what
 * survives closing and reopening the replica file.
 */

afterEach(removeTempDirs);

const statusConflict = (id: number, server: string, mine: string): MutationResult => ({
  id,
  status: 'conflict',
  conflicts: [{ field: 'status', server, mine }],
  field: 'status',
  server,
  mine,
});

/** A replica whose mutation 1 (status → pending) conflicted with the server's "solved". */
function withConflict(): TestReplica {
  const t = seededReplica();
  t.replica.mutate(
    'setTicketFields',
    { ticketId: IDS.ticket, fields: { status: 'pending', priority: 'high' } },
    NOW,
  );
  t.replica.markSent([1], NOW);
  t.replica.applyPushResults([statusConflict(1, 'solved', 'pending')], NOW);
  t.replica.applyPullPage(
    t.pages.page(
      [t.pages.upsert('ticket', ticket({ status: 'solved', priority: 'high', updatedAt: NOW }))],
      {
        lastMutationId: 1,
      },
    ),
  );
  return t;
}

describe('resolveAttention', () => {
  it("'theirs' resolves the item and queues nothing", () => {
    const t = withConflict();
    const [item] = t.replica.needsAttention();
    expect(outbox(t.replica)).toEqual([]);
    t.replica.resolveAttention(item!.id, 'theirs', LATER);
    expect(t.replica.needsAttention()).toEqual([]);
    expect(t.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
    expect(outbox(t.replica)).toEqual([]);
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('solved');
    expect(
      t.replica.db.prepare('SELECT resolved_at, resolution FROM needs_attention').all(),
    ).toEqual([{ resolved_at: LATER, resolution: 'theirs' }]);
  });

  it("'mine' queues a new mutation with my values, based on the server's", () => {
    const t = withConflict();
    const [item] = t.replica.needsAttention();
    t.replica.resolveAttention(item!.id, 'mine', LATER);
    expect(t.replica.needsAttention()).toEqual([]);
    const rows = outbox(t.replica);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: 2,
      name: 'setTicketFields',
      args: { ticketId: IDS.ticket, fields: { status: 'pending' } },
      base: { status: 'solved' },
      result: null,
    });
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('pending');
    expect(projected(t.replica, IDS.ticket)).toMatchObject({ status: 'pending', pending: 1 });
    expect(t.replica.counts()).toEqual({ pending: 1, needsAttention: 0 });
  });

  it("'mine' before the service's value has been pulled is still based on the service's value", () => {
    const t = seededReplica();
    t.replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'pending' } },
      NOW,
    );
    t.replica.markSent([1], NOW);
    // The conflict is known, but no pull has brought "solved" yet (the agent went offline).
    t.replica.applyPushResults([statusConflict(1, 'solved', 'pending')], NOW);
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).not.toBe('solved');
    const [item] = t.replica.needsAttention();
    t.replica.resolveAttention(item!.id, 'mine', LATER);
    const resent = outbox(t.replica).find((row) => row.id === 2);
    expect(resent).toMatchObject({
      base: { status: 'solved' },
      args: { fields: { status: 'pending' } },
    });
  });

  it("'mine' of a preferences conflict sends the preferences with my values", () => {
    const t = seededReplica();
    t.replica.mutate(
      'setCommunicationPreferences',
      { newsletter: true, productUpdates: true },
      NOW,
    );
    t.replica.applyPushResults(
      [
        {
          id: 1,
          status: 'conflict',
          conflicts: [{ field: 'newsletter', server: false, mine: true }],
          field: 'newsletter',
          server: false,
          mine: true,
        },
      ],
      NOW,
    );
    t.replica.applyPullPage(
      t.pages.page([
        t.pages.upsert('preferences', {
          id: IDS.agent,
          newsletter: false,
          productUpdates: false,
          updatedAt: NOW,
        }),
      ]),
    );
    const [item] = t.replica.needsAttention();
    expect(item).toMatchObject({ entity: 'preferences', entityId: IDS.agent });
    t.replica.resolveAttention(item!.id, 'mine', LATER);
    expect(outbox(t.replica).at(-1)).toMatchObject({
      name: 'setCommunicationPreferences',
      args: { newsletter: true, productUpdates: true },
    });
    expect(t.replica.reader().get('preferences', IDS.agent)?.newsletter).toBe(true);
  });

  it("'mine' of a rejection sends the mutation again", () => {
    const t = seededReplica();
    const commentId = newId();
    t.replica.mutate(
      'addComment',
      { id: commentId, ticketId: IDS.ticket, body: 'Retry me', public: true },
      NOW,
    );
    t.replica.applyPushResults(
      [{ id: 1, status: 'rejected', error: { code: 'forbidden', message: 'not now' } }],
      NOW,
    );
    expect(t.replica.reader().get('comment', commentId)).toBeNull();
    const [item] = t.replica.needsAttention();
    t.replica.resolveAttention(item!.id, 'mine', LATER);
    expect(outbox(t.replica).map((r) => [r.id, r.name, r.result === null])).toEqual([
      [1, 'addComment', false],
      [2, 'addComment', true],
    ]);
    expect(t.replica.pushBatch().map((m) => m.id)).toEqual([2]);
    expect(t.replica.reader().get('comment', commentId)?.body).toBe('Retry me');
    expect(search(t.replica, 'retry')).toEqual([IDS.ticket]);
  });

  it('refuses an unknown or already resolved item', () => {
    const t = withConflict();
    const [item] = t.replica.needsAttention();
    expect(() => t.replica.resolveAttention(999, 'theirs', NOW)).toThrow(LocalMutationError);
    t.replica.resolveAttention(item!.id, 'theirs', NOW);
    expect(() => t.replica.resolveAttention(item!.id, 'mine', NOW)).toThrow(LocalMutationError);
    expect(outbox(t.replica)).toEqual([]);
  });

  it("leaves the item open when 'mine' is no longer possible", () => {
    const t = withConflict();
    t.replica.applyPullPage(t.pages.page([t.pages.remove('ticket', IDS.ticket)]));
    const [item] = t.replica.needsAttention();
    expect(() => t.replica.resolveAttention(item!.id, 'mine', LATER)).toThrow(LocalMutationError);
    expect(t.replica.needsAttention()).toHaveLength(1);
    expect(outbox(t.replica)).toEqual([]);
  });
});

describe('renumber', () => {
  it('takes a new client id and numbers what is pending from 1 in the same order', () => {
    const t = seededReplica();
    const r = t.replica;
    const oldClientId = r.clientId;
    r.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW); // 1 applied
    r.mutate('setTicketFields', { ticketId: IDS.ticket2, fields: { status: 'open' } }, NOW); // 2 conflict
    r.mutate('addTags', { ticketId: IDS.ticket, tags: ['vip'] }, NOW); // 3 rejected
    r.mutate('noop', {}, NOW); // 4 unsent noop
    r.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket, body: 'Late note', public: true },
      NOW,
    ); // 5
    r.markSent([1, 2, 3], NOW);
    r.applyPushResults(
      [
        { id: 1, status: 'applied' },
        statusConflict(2, 'solved', 'open'),
        { id: 3, status: 'rejected', error: { code: 'forbidden', message: 'no' } },
      ],
      NOW,
    );
    r.applyPullPage(t.pages.page([], { hasMore: true }));
    const attention = r.needsAttention();
    const viewBefore = projectionDump(r);

    // The restored service has none of them (its last mutation id is 0): all are sent again.
    const clientId = r.renumber(0);
    expect(clientId).not.toBe(oldClientId);
    expect(r.clientId).toBe(clientId);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outbox(r).map((row) => [row.id, row.name, row.result, row.sent_at])).toEqual([
      [1, 'setTicketFields', null, null],
      [2, 'noop', null, null],
      [3, 'addComment', null, null],
    ]);
    expect(outbox(r)[0]!.args).toEqual({ ticketId: IDS.ticket, fields: { status: 'pending' } });
    expect(outbox(r)[0]!.base).toEqual({ status: 'open' });
    expect(r.pushBatch().map((m) => m.id)).toEqual([1, 2, 3]);
    expect(r.needsAttention()).toEqual(attention);
    expect(r.needsAttention()).toHaveLength(2);
    expect(r.cursor).toBe('0');
    expect(r.snapshotInProgress).toBe(true);
    expect(r.mutate('noop', {}, NOW).mutationId).toBe(4);
    expect(projectionDump(r)).toEqual(viewBefore);
  });

  it('survives a restart', () => {
    const t = seededReplica();
    t.replica.mutate('noop', {}, NOW);
    t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['x'] }, NOW);
    t.replica.applyPushResults([{ id: 1, status: 'applied' }], NOW);
    t.replica.applyPullPage(t.pages.page([], { lastMutationId: 1 }));
    const clientId = t.replica.renumber();
    const replica = t.reopen();
    expect(replica.clientId).toBe(clientId);
    expect(outbox(replica).map((r) => [r.id, r.name])).toEqual([[1, 'addTags']]);
    expect(replica.mutate('noop', {}, NOW).mutationId).toBe(2);
  });
});

describe('durability', () => {
  it('keeps outbox, cursor, epoch, needs-attention, overlay and projection across close and reopen', () => {
    const t = seededReplica();
    let r = t.replica;
    const commentId = newId();
    const ticketId = newId();
    r.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
    r.mutate('addTags', { ticketId: IDS.ticket2, tags: ['vip'] }, NOW);
    r.mutate(
      'addComment',
      { id: commentId, ticketId: IDS.ticket2, body: 'Persisted note', public: false },
      NOW,
    );
    r.mutate(
      'createTicket',
      { id: ticketId, subject: 'Offline ticket', description: 'd', requesterId: IDS.contact2 },
      NOW,
    );
    r.markSent([1, 2], NOW);
    r.applyPushResults([{ id: 1, status: 'applied' }, statusConflict(2, 'closed', 'open')], NOW);
    t.pages.epoch = 'epoch-7';
    r.applyPullPage(
      t.pages.page([t.pages.upsert('ticket', ticket({ priority: 'high' }))], { hasMore: true }),
    );

    const state = (rep: typeof r) => ({
      outbox: outbox(rep),
      cursor: rep.cursor,
      epoch: rep.epoch,
      clientId: rep.clientId,
      snapshot: rep.snapshotInProgress,
      attention: rep.needsAttention(),
      counts: rep.counts(),
      overlay: rep.db.prepare('SELECT * FROM overlay ORDER BY entity, id').all(),
      base: rep.db.prepare('SELECT * FROM base ORDER BY entity, id').all(),
      projection: projectionDump(rep),
      next: rep.meta('nextMutationId'),
    });
    const before = state(r);
    expect(before.outbox).toHaveLength(4);
    expect(before.attention).toHaveLength(1);
    expect(before.epoch).toBe('epoch-7');
    expect(before.overlay.length).toBeGreaterThan(0);

    r = t.reopen();
    expect(state(r)).toEqual(before);
    expect(r.reader().get('ticket', IDS.ticket)).toMatchObject({
      status: 'pending',
      priority: 'high',
    });
    expect(r.reader().get('comment', commentId)?.body).toBe('Persisted note');
    expect(search(r, 'persisted')).toEqual([IDS.ticket2]);
    expect(projectionMismatches(r)).toEqual([]);
    expect(r.mutate('noop', {}, NOW).mutationId).toBe(5);
  });

  it('keeps a projection equal to one rebuilt from scratch after a mixed history', () => {
    const t = seededReplica();
    const r = t.replica;
    const c3 = newId();
    r.mutate('createContact', { id: c3, name: 'Marvin Martian', email: 'marvin@mars.test' }, NOW);
    r.mutate(
      'createTicket',
      {
        id: IDS.ticket3,
        subject: 'Modulator missing',
        description: 'Kaboom',
        requesterId: c3,
        tags: ['space'],
      },
      NOW,
    );
    r.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket3, body: 'Where is the kaboom', public: true },
      NOW,
    );
    r.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { priority: 'urgent' } }, NOW);
    r.mutate('removeTags', { ticketId: IDS.ticket, tags: ['printer'] }, NOW);
    r.applyPullPage(
      t.pages.page(
        [
          t.pages.upsert('comment', {
            id: IDS.comment2,
            ticketId: IDS.ticket2,
            authorId: null,
            body: 'Still locked out',
            public: true,
            createdAt: NOW,
          }),
          t.pages.upsert('contact', {
            id: IDS.contact2,
            name: 'Road Runner',
            email: 'beep@example.test',
            phone: null,
            createdAt: NOW,
            updatedAt: NOW,
          }),
          t.pages.remove('comment', IDS.comment),
        ],
        { hasMore: true },
      ),
    );
    r.markSent([1, 2, 3, 4], NOW);
    r.applyPushResults(
      [
        { id: 1, status: 'applied' },
        { id: 2, status: 'applied' },
      ],
      NOW,
    );
    r.undoLast(NOW);
    r.mutate('addTags', { ticketId: IDS.ticket2, tags: ['locked'] }, NOW);
    r.undoLast(NOW);
    r.undoLast(NOW);
    // The pull that acknowledges 1 and 2 carries their effect (the service numbered the ticket).
    r.applyPullPage(
      t.pages.page(
        [
          t.pages.upsert('contact', { ...r.reader().get('contact', c3)!, updatedAt: LATER }),
          t.pages.upsert('ticket', { ...r.reader().get('ticket', IDS.ticket3)!, number: 9 }),
        ],
        { lastMutationId: 2 },
      ),
    );
    expect(outbox(r).map((row) => row.id)).toEqual([3, 4, 5, 6, 7]);
    expect(projected(r, IDS.ticket3)).toMatchObject({ number: 9, pending: 1 });

    const incremental = projectionDump(r);
    expect(projectionMismatches(r)).toEqual([]);
    expect(search(r, 'beep')).toEqual([IDS.ticket2]);
    expect(search(r, 'kaboom')).toEqual([IDS.ticket3]);
    rebuildProjection(r);
    expect(projectionDump(r)).toEqual(incremental);
    const reopened = t.reopen();
    expect(projectionDump(reopened)).toEqual(incremental);
  });
});
