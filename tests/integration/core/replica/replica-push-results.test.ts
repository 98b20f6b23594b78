import { afterEach, describe, expect, it } from 'vitest';
import { BODY_MAX_BYTES, type MutationResult } from '../../../../src-shared/protocol/sync';
import {
  IDS,
  LATER,
  NOW,
  newId,
  outbox,
  projected,
  removeTempDirs,
  search,
  seededReplica,
  ticket,
  type TestReplica,
} from './replica-fixtures';

/**
 * The push side of the outbox on a real replica file: batches, sent marks, and each result of
 * PROTOCOL.md "Push" (applied, duplicate, conflict, rejected), then the pull that confirms them.
 */

afterEach(removeTempDirs);

function setStatus(t: TestReplica, status: string, ticketId: string = IDS.ticket) {
  return t.replica.mutate('setTicketFields', { ticketId, fields: { status } }, NOW).mutationId;
}

describe('pushBatch', () => {
  it('returns pending mutations in id order with their base', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    t.replica.mutate('addTags', { ticketId: IDS.ticket2, tags: ['vip'] }, NOW);
    t.replica.mutate('noop', {}, NOW);
    expect(t.replica.pushBatch()).toEqual([
      {
        id: 1,
        name: 'setTicketFields',
        args: { ticketId: IDS.ticket, fields: { status: 'pending' } },
        base: { status: 'open' },
      },
      { id: 2, name: 'addTags', args: { ticketId: IDS.ticket2, tags: ['vip'] } },
      { id: 3, name: 'noop', args: {} },
    ]);
  });

  it('stops at the count limit and goes on from there once results are in', () => {
    const t = seededReplica();
    for (let i = 0; i < 5; i++) t.replica.mutate('noop', {}, NOW);
    expect(t.replica.pushBatch(2).map((m) => m.id)).toEqual([1, 2]);
    t.replica.applyPushResults(
      [
        { id: 1, status: 'applied' },
        { id: 2, status: 'applied' },
      ],
      NOW,
    );
    expect(t.replica.pushBatch(2).map((m) => m.id)).toEqual([3, 4]);
    expect(t.replica.pushBatch().map((m) => m.id)).toEqual([3, 4, 5]);
  });

  it('stops under the byte limit, always taking at least one mutation', () => {
    const t = seededReplica();
    for (let i = 0; i < 4; i++)
      t.replica.mutate(
        'addComment',
        { id: newId(), ticketId: IDS.ticket, body: 'x'.repeat(60_000), public: true },
        NOW,
      );
    expect(t.replica.pushBatch(1000, 150_000).map((m) => m.id)).toEqual([1, 2]);
    expect(t.replica.pushBatch(1000, 1000).map((m) => m.id)).toEqual([1]);
  });

  it('keeps a default batch of large non-ASCII mutations under the 1 MiB request limit', () => {
    const t = seededReplica();
    // 60,000 characters of 3 bytes each in UTF-8: each mutation is valid and under 256 KiB.
    const description = '€'.repeat(60_000);
    for (let i = 0; i < 8; i++)
      t.replica.mutate(
        'createTicket',
        { id: newId(), subject: `Ticket ${i}`, description, requesterId: IDS.contact },
        NOW,
      );
    const batch = t.replica.pushBatch();
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.map((m) => m.id)).toEqual(batch.map((_m, i) => i + 1));
    const body = JSON.stringify({ clientId: t.replica.clientId, mutations: batch });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(BODY_MAX_BYTES);
  });

  it('does not send again what has a result, and markSent keeps the first time', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    setStatus(t, 'solved');
    t.replica.markSent([1, 2], NOW);
    t.replica.markSent([2], LATER);
    expect(outbox(t.replica).map((r) => r.sent_at)).toEqual([NOW, NOW]);
    // Sent without an answer (the response was lost): sent again.
    expect(t.replica.pushBatch().map((m) => m.id)).toEqual([1, 2]);
    t.replica.applyPushResults([{ id: 1, status: 'applied' }], NOW);
    expect(t.replica.pushBatch().map((m) => m.id)).toEqual([2]);
  });
});

describe('applied', () => {
  it('keeps the mutation until a complete pull acknowledges it, and only then drops it', () => {
    const t = seededReplica();
    const id = setStatus(t, 'pending');
    t.replica.markSent([id], NOW);
    t.replica.applyPushResults([{ id, status: 'applied' }], NOW);
    expect(outbox(t.replica)[0]!.result).toEqual({ id, status: 'applied' });
    expect(t.replica.counts()).toEqual({ pending: 1, needsAttention: 0 });
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('pending');

    // A page that is not the last one: the effect may not all be in yet.
    t.replica.applyPullPage(t.pages.page([], { hasMore: true, lastMutationId: id }));
    expect(outbox(t.replica)).toHaveLength(1);
    // A complete pull whose service no longer has it (restored from a backup): it is sent again,
    // and the service answers for it once more (here: a duplicate of the original).
    t.replica.applyPullPage(t.pages.page([], { hasMore: false, lastMutationId: id - 1 }));
    expect(outbox(t.replica)).toHaveLength(1);
    expect(t.replica.pushBatch().map((m) => m.id)).toEqual([id]);
    expect(projected(t.replica, IDS.ticket)).toMatchObject({ status: 'pending', pending: 1 });
    t.replica.applyPushResults(
      [{ id, status: 'duplicate', original: { id, status: 'applied' } }],
      NOW,
    );

    t.replica.applyPullPage(
      t.pages.page([t.pages.upsert('ticket', ticket({ status: 'pending', updatedAt: LATER }))], {
        hasMore: false,
        lastMutationId: id,
      }),
    );
    expect(outbox(t.replica)).toEqual([]);
    expect(t.replica.counts()).toEqual({ pending: 0, needsAttention: 0 });
    expect(t.replica.reader().get('ticket', IDS.ticket)).toMatchObject({
      status: 'pending',
      updatedAt: LATER,
    });
    expect(projected(t.replica, IDS.ticket)).toMatchObject({ status: 'pending', pending: 0 });
  });

  it('does not drop a mutation the service has not answered, nor later ones', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    setStatus(t, 'solved');
    t.replica.applyPushResults([{ id: 1, status: 'applied' }], NOW);
    t.replica.applyPullPage(
      t.pages.page([t.pages.upsert('ticket', ticket({ status: 'solved' }))], { lastMutationId: 2 }),
    );
    // id 2 has no result (its response was lost): it is sent again and answered duplicate.
    expect(outbox(t.replica).map((r) => r.id)).toEqual([2]);
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('solved');
  });

  it('confirms a created comment without showing it twice', () => {
    const t = seededReplica();
    const commentId = newId();
    t.replica.mutate(
      'addComment',
      { id: commentId, ticketId: IDS.ticket, body: 'Replaced the fuser', public: true },
      NOW,
    );
    t.replica.applyPushResults([{ id: 1, status: 'applied' }], NOW);
    t.replica.applyPullPage(
      t.pages.page(
        [
          t.pages.upsert('comment', {
            id: commentId,
            ticketId: IDS.ticket,
            authorId: IDS.agent,
            body: 'Replaced the fuser',
            public: true,
            createdAt: NOW,
          }),
        ],
        { hasMore: true, lastMutationId: 1 },
      ),
    );
    expect(t.replica.projection.commentsOf(IDS.ticket)).toHaveLength(2);
    t.replica.applyPullPage(t.pages.page([], { lastMutationId: 1 }));
    expect(outbox(t.replica)).toEqual([]);
    expect(t.replica.projection.commentsOf(IDS.ticket).map((c) => c.body)).toEqual([
      'Looking into the toner cartridge.',
      'Replaced the fuser',
    ]);
    expect(search(t.replica, 'fuser')).toEqual([IDS.ticket]);
  });
});

describe('duplicate', () => {
  it('records the original result', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    setStatus(t, 'solved', IDS.ticket2);
    t.replica.applyPushResults(
      [
        { id: 1, status: 'duplicate', original: { id: 1, status: 'applied' } },
        {
          id: 2,
          status: 'duplicate',
          original: {
            id: 2,
            status: 'conflict',
            conflicts: [{ field: 'status', server: 'closed', mine: 'solved' }],
            field: 'status',
            server: 'closed',
            mine: 'solved',
          },
        },
      ],
      NOW,
    );
    const rows = outbox(t.replica);
    expect(rows[0]!.result).toEqual({ id: 1, status: 'applied' });
    expect(rows[1]!.result).toMatchObject({ id: 2, status: 'conflict' });
    expect(t.replica.needsAttention()).toHaveLength(1);
    expect(t.replica.needsAttention()[0]).toMatchObject({ mutationId: 2, kind: 'conflict' });
    expect(t.replica.counts()).toEqual({ pending: 1, needsAttention: 1 });
  });

  it('treats a duplicate whose original was forgotten as applied', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    t.replica.applyPushResults([{ id: 1, status: 'duplicate', original: null }], NOW);
    expect(outbox(t.replica)[0]!.result).toEqual({ id: 1, status: 'applied' });
    expect(t.replica.needsAttention()).toEqual([]);
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('pending');
  });

  it('keeps the first result when a later answer repeats it', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    t.replica.applyPushResults(
      [{ id: 1, status: 'rejected', error: { code: 'forbidden', message: 'no' } }],
      NOW,
    );
    t.replica.applyPushResults(
      [{ id: 1, status: 'duplicate', original: { id: 1, status: 'applied' } }],
      NOW,
    );
    expect(outbox(t.replica)[0]!.result).toMatchObject({ status: 'rejected' });
    expect(t.replica.needsAttention()).toHaveLength(1);
  });
});

describe('conflict', () => {
  const conflict = (id: number): MutationResult => ({
    id,
    status: 'conflict',
    conflicts: [{ field: 'status', server: 'solved', mine: 'pending' }],
    field: 'status',
    server: 'solved',
    mine: 'pending',
  });

  it('becomes a needs-attention item with both values, and the optimistic value goes', () => {
    const t = seededReplica();
    const id = setStatus(t, 'pending');
    t.replica.mutate('addTags', { ticketId: IDS.ticket2, tags: ['vip'] }, NOW);
    t.replica.markSent([1, 2], NOW);
    expect(projected(t.replica, IDS.ticket)?.status).toBe('pending');
    t.replica.applyPushResults([conflict(id), { id: 2, status: 'applied' }], LATER);

    const [item, ...others] = t.replica.needsAttention();
    expect(others).toEqual([]);
    expect(item).toMatchObject({
      mutationId: id,
      name: 'setTicketFields',
      args: { ticketId: IDS.ticket, fields: { status: 'pending' } },
      kind: 'conflict',
      conflicts: [{ field: 'status', server: 'solved', mine: 'pending' }],
      error: null,
      entity: 'ticket',
      entityId: IDS.ticket,
      createdAt: LATER,
    });
    expect(t.replica.counts()).toEqual({ pending: 1, needsAttention: 1 });
    // The optimistic value is no longer shown: base until the pull brings the server's value.
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('open');
    expect(projected(t.replica, IDS.ticket)).toMatchObject({ status: 'open', pending: 0 });
    t.replica.applyPullPage(
      t.pages.page([t.pages.upsert('ticket', ticket({ status: 'solved', updatedAt: LATER }))], {
        lastMutationId: 2,
      }),
    );
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('solved');
    expect(projected(t.replica, IDS.ticket)).toMatchObject({ status: 'solved', pending: 0 });
    // The outbox row goes with the acknowledgement; the item stays until it is resolved.
    expect(outbox(t.replica)).toEqual([]);
    expect(t.replica.needsAttention()).toHaveLength(1);
    expect(t.replica.counts()).toEqual({ pending: 0, needsAttention: 1 });
  });

  it('is never sent again', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    t.replica.applyPushResults([conflict(1)], NOW);
    expect(t.replica.pushBatch()).toEqual([]);
  });
});

describe('rejected', () => {
  it('becomes a needs-attention item with the reason, and its effect goes', () => {
    const t = seededReplica();
    const commentId = newId();
    t.replica.mutate(
      'addComment',
      { id: commentId, ticketId: IDS.ticket2, body: 'Password reset', public: true },
      NOW,
    );
    t.replica.applyPushResults(
      [{ id: 1, status: 'rejected', error: { code: 'not_found', message: 'ticket not found' } }],
      LATER,
    );
    expect(t.replica.needsAttention()).toEqual([
      expect.objectContaining({
        mutationId: 1,
        name: 'addComment',
        kind: 'rejected',
        conflicts: [],
        error: { code: 'not_found', message: 'ticket not found' },
        entity: 'ticket',
        entityId: IDS.ticket2,
      }),
    ]);
    expect(t.replica.reader().get('comment', commentId)).toBeNull();
    expect(search(t.replica, 'password')).toEqual([]);
    expect(projected(t.replica, IDS.ticket2)?.pending).toBe(0);
    expect(t.replica.counts()).toEqual({ pending: 0, needsAttention: 1 });
  });

  it('names the profile for a rejected profile edit', () => {
    const t = seededReplica();
    t.replica.mutate('updateProfile', { fields: { title: 'Boss' } }, NOW);
    t.replica.applyPushResults(
      [{ id: 1, status: 'rejected', error: { code: 'bad_request', message: 'invalid' } }],
      NOW,
    );
    expect(t.replica.needsAttention()[0]).toMatchObject({ entity: 'profile', entityId: IDS.agent });
    expect(t.replica.reader().get('profile', IDS.agent)?.title).toBe('Support agent');
  });

  it('ignores results for ids it does not have', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    t.replica.applyPushResults(
      [{ id: 9, status: 'rejected', error: { code: 'not_found', message: 'x' } }],
      NOW,
    );
    expect(t.replica.needsAttention()).toEqual([]);
    expect(outbox(t.replica)[0]!.result).toBeNull();
  });
});

describe('counts', () => {
  it('counts pending work and open needs-attention items, not noops', () => {
    const t = seededReplica();
    setStatus(t, 'pending');
    t.replica.mutate('noop', {}, NOW);
    t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['a'] }, NOW);
    t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['b'] }, NOW);
    expect(t.replica.counts()).toEqual({ pending: 3, needsAttention: 0 });
    t.replica.applyPushResults(
      [
        { id: 1, status: 'applied' },
        { id: 2, status: 'applied' },
        { id: 3, status: 'rejected', error: { code: 'forbidden', message: 'no' } },
      ],
      NOW,
    );
    expect(t.replica.counts()).toEqual({ pending: 2, needsAttention: 1 });
  });
});
