import { afterEach, describe, expect, it } from 'vitest';
import { resolveHeldReply } from '../../../../src-main/core/replica/resolve-held';
import type { Replica } from '../../../../src-main/core/replica/replica';
import type { Comment, Ticket } from '../../../../src-shared/domain/entities';
import {
  IDS,
  adminIdentity,
  LATER,
  NOW,
  comment,
  newId,
  outbox,
  projected,
  projectionMismatches,
  removeTempDirs,
  seededReplica,
  tenantChanges,
  ticket,
  type TestReplica,
} from './replica-fixtures';

/**
 * Collision holds on a real replica file, with pull pages built as the service builds them: a
 * queued public reply whose ticket changed on the service (someone else's public comment, a new
 * status, another assignee) leaves the outbox for held_replies with what changed, keeping the
 * mutation ids gapless; the agent then sends it (once, under a new id), edits or discards it.
 */

afterEach(removeTempDirs);

const LATEST = '2026-02-03T06:00:00.000Z';

function reply(r: Replica, body = 'Have you tried turning it off and on?', publicReply = true) {
  const id = newId();
  const { mutationId } = r.mutate(
    'addComment',
    { id, ticketId: IDS.ticket, body, public: publicReply },
    NOW,
  );
  return { id, mutationId };
}

/** A pull page with the service's new version of the ticket and any new comments. */
function pull(
  t: TestReplica,
  changes: { ticket?: Partial<Ticket>; comments?: Partial<Comment>[] },
) {
  const rows = [
    ...(changes.comments ?? []).map((c) =>
      t.pages.upsert('comment', comment({ id: newId(), createdAt: LATER, ...c })),
    ),
    ...(changes.ticket
      ? [t.pages.upsert('ticket', ticket({ updatedAt: LATER, ...changes.ticket }))]
      : []),
  ];
  return t.replica.applyPullPage(t.pages.page(rows), LATEST);
}

const customer = (body = 'It works now, never mind.\nThanks') => ({ authorId: null, body });

describe('a queued public reply', () => {
  it('is held when the customer wrote meanwhile; the rest of the outbox goes on, gapless', () => {
    const t = seededReplica();
    const r = t.replica;
    r.mutate('addTags', { ticketId: IDS.ticket2, tags: ['before'] }, NOW);
    const mine = reply(r);
    r.mutate('addTags', { ticketId: IDS.ticket2, tags: ['after'] }, NOW);
    expect(r.held.guarding()).toBe(true);

    pull(t, { comments: [customer()] });

    expect(r.held.list()).toEqual([
      {
        id: expect.any(Number),
        ticketId: IDS.ticket,
        commentId: mine.id,
        body: 'Have you tried turning it off and on?',
        public: true,
        writtenAt: NOW,
        heldAt: LATEST,
        changes: {
          newComments: 1,
          firstLine: 'It works now, never mind.',
          fromCustomer: true,
          status: null,
          assignee: null,
        },
        heldWith: [],
      },
    ]);
    // Its slot is a noop: the service still sees 1, 2, 3.
    expect(r.pushBatch().map((m) => [m.id, m.name])).toEqual([
      [1, 'addTags'],
      [2, 'noop'],
      [3, 'addTags'],
    ]);
    expect(r.held.guarding()).toBe(false);
    expect(r.counts().pending).toBe(2);
    expect(r.held.count()).toBe(1);
    // The conversation shows what the service has; the held reply is shown apart.
    expect(r.projection.commentsOf(IDS.ticket).map((c) => c.id)).not.toContain(mine.id);
    expect(projectionMismatches(r)).toEqual([]);
    // It survives a restart.
    expect(t.reopen().held.list()).toHaveLength(1);
  });

  it('is held by a new status or another assignee, with both values', () => {
    const t = seededReplica();
    reply(t.replica);
    pull(t, { ticket: { status: 'solved', assigneeId: IDS.other } });
    expect(t.replica.held.list()[0]!.changes).toEqual({
      newComments: 0,
      firstLine: null,
      fromCustomer: false,
      status: { from: 'open', to: 'solved' },
      assignee: { from: IDS.agent, to: IDS.other },
    });
  });

  it("is held by another agent's public comment, not by notes, my own comments or changes of no weight", () => {
    const t = seededReplica();
    reply(t.replica);
    pull(t, {
      comments: [
        { authorId: IDS.other, body: 'Internal: wait for finance', public: false },
        { authorId: IDS.agent, body: 'Sent from my other laptop' },
      ],
      ticket: { priority: 'urgent', tags: ['vip'], subject: 'Renamed' },
    });
    expect(t.replica.held.list()).toEqual([]);
    expect(t.replica.held.guarding()).toBe(true);

    pull(t, { comments: [{ authorId: IDS.other, body: 'I answered by phone' }] });
    expect(t.replica.held.list()[0]!.changes).toMatchObject({
      newComments: 1,
      firstLine: 'I answered by phone',
      fromCustomer: false,
    });
  });

  it('is not held by being assigned to me, nor by my own earlier change coming back', () => {
    const t = seededReplica();
    const r = t.replica;
    r.applyPullPage(t.pages.page([t.pages.upsert('ticket', ticket({ assigneeId: null }))]));
    // My status change, sent and applied, then the reply; the pull brings both changes back.
    const { mutationId } = r.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'pending', assigneeId: IDS.agent } },
      NOW,
    );
    r.markSent([mutationId], NOW);
    r.applyPushResults([{ id: mutationId, status: 'applied' }], NOW);
    reply(r);
    t.pages.lastMutationId = mutationId;
    pull(t, { ticket: { status: 'pending', assigneeId: IDS.agent } });
    expect(r.held.list()).toEqual([]);
    expect(r.pushBatch().map((m) => m.name)).toEqual(['addComment']);
  });

  it('a status that comes back to what I saw no longer counts, but the hold stays', () => {
    const t = seededReplica();
    reply(t.replica);
    pull(t, { ticket: { status: 'solved' } });
    pull(t, { ticket: { status: 'open' }, comments: [customer('Reopening, sorry')] });
    expect(t.replica.held.list()[0]!.changes).toMatchObject({
      newComments: 1,
      firstLine: 'Reopening, sorry',
      status: null,
    });
  });

  it('counts every new comment while it waits; the first line stays the first', () => {
    const t = seededReplica();
    reply(t.replica);
    pull(t, { comments: [customer('First')] });
    pull(t, { comments: [customer('Second'), customer('Third')] });
    expect(t.replica.held.list()[0]!.changes).toMatchObject({ newComments: 3, firstLine: 'First' });
  });

  it('already sent (in flight) is never held: the service may have it', () => {
    const t = seededReplica();
    const mine = reply(t.replica);
    t.replica.markSent([mine.mutationId], NOW);
    expect(t.replica.held.guarding()).toBe(false);
    pull(t, { comments: [customer()] });
    expect(t.replica.held.list()).toEqual([]);
    expect(outbox(t.replica).map((row) => row.name)).toEqual(['addComment']);
  });

  it('an internal note is not held', () => {
    const t = seededReplica();
    reply(t.replica, 'Customer seems upset', false);
    expect(t.replica.held.guarding()).toBe(false);
    pull(t, { comments: [customer()], ticket: { status: 'solved' } });
    expect(t.replica.held.list()).toEqual([]);
    expect(t.replica.pushBatch().map((m) => m.name)).toEqual(['addComment']);
  });

  it('a snapshot that delivers the comments again holds nothing: they were seen', () => {
    const t = seededReplica();
    reply(t.replica);
    t.replica.restartFromZero();
    pull(t, { comments: [{ id: IDS.comment, authorId: null, createdAt: ticket().createdAt }] });
    expect(t.replica.held.list()).toEqual([]);
  });

  it("holds the agent's later changes to the same ticket with it, never half a 'reply and solve'", () => {
    const t = seededReplica();
    const r = t.replica;
    reply(r);
    r.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'solved' } }, NOW);
    r.mutate('addTags', { ticketId: IDS.ticket2, tags: ['other-ticket'] }, NOW);
    pull(t, { comments: [customer()] });
    const [held] = r.held.list();
    expect(held!.heldWith).toEqual([
      { name: 'setTicketFields', args: { ticketId: IDS.ticket, fields: { status: 'solved' } } },
    ]);
    expect(r.pushBatch().map((m) => [m.id, m.name])).toEqual([
      [1, 'noop'],
      [2, 'noop'],
      [3, 'addTags'],
    ]);
    // The view shows what the service has: not solved.
    expect(projected(r, IDS.ticket)).toMatchObject({ status: 'open', pending: 0 });
  });
});

describe('resolving a held reply', () => {
  function held(t: TestReplica) {
    const mine = reply(t.replica);
    t.replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'pending' } },
      NOW,
    );
    pull(t, { comments: [customer()] });
    return { mine, item: t.replica.held.list()[0]! };
  }

  it('send: queued again under new ids, after everything else, and checked again', () => {
    const t = seededReplica();
    const r = t.replica;
    const { mine, item } = held(t);
    r.mutate('addTags', { ticketId: IDS.ticket2, tags: ['meanwhile'] }, NOW);

    expect(resolveHeldReply(r, { id: item.id, action: 'send' }, LATEST)).toEqual({
      mutationIds: [4, 5],
    });
    expect(r.held.list()).toEqual([]);
    expect(r.pushBatch().map((m) => [m.id, m.name, m.args.id ?? null])).toEqual([
      [1, 'noop', null],
      [2, 'noop', null],
      [3, 'addTags', null],
      [4, 'addComment', mine.id],
      [5, 'setTicketFields', null],
    ]);
    // Based on what the agent has now seen: the service's status, not the one before the hold.
    expect(r.pushBatch().at(-1)!.base).toEqual({ status: 'open' });
    expect(r.projection.commentsOf(IDS.ticket).map((c) => c.id)).toContain(mine.id);
    expect(projected(r, IDS.ticket)).toMatchObject({ status: 'pending', pending: 1 });
    expect(r.held.guarding()).toBe(true);

    // Sent, answered and pulled: the reply is there once and nothing is left.
    r.markSent([1, 2, 3, 4, 5], LATEST);
    r.applyPushResults(
      [1, 2, 3, 4, 5].map((id) => ({ id, status: 'applied' as const })),
      LATEST,
    );
    t.pages.lastMutationId = 5;
    pull(t, {
      comments: [{ id: mine.id, authorId: IDS.agent, body: item.body }],
      ticket: { status: 'pending' },
    });
    expect(outbox(r)).toEqual([]);
    expect(r.projection.commentsOf(IDS.ticket).filter((c) => c.id === mine.id)).toHaveLength(1);
    expect(r.held.list()).toEqual([]);
  });

  it('edit: the new body goes in line; a change after that holds it again', () => {
    const t = seededReplica();
    const r = t.replica;
    const { mine, item } = held(t);
    resolveHeldReply(r, { id: item.id, action: 'edit', body: 'Glad it works!' }, LATEST);
    const queued = r.pushBatch().find((m) => m.name === 'addComment')!;
    expect(queued.args).toEqual({
      id: mine.id,
      ticketId: IDS.ticket,
      body: 'Glad it works!',
      public: true,
    });
    pull(t, { ticket: { assigneeId: IDS.other } });
    expect(r.held.list()).toEqual([
      expect.objectContaining({
        body: 'Glad it works!',
        changes: expect.objectContaining({
          newComments: 0,
          assignee: { from: IDS.agent, to: IDS.other },
        }),
      }),
    ]);
  });

  it('discard: gone with what was held with it; nothing of it is ever pushed', () => {
    const t = seededReplica();
    const r = t.replica;
    const { mine, item } = held(t);
    expect(resolveHeldReply(r, { id: item.id, action: 'discard' }, LATEST)).toEqual({
      mutationIds: [],
    });
    expect(r.held.list()).toEqual([]);
    expect(r.pushBatch().map((m) => m.name)).toEqual(['noop', 'noop']);
    expect(r.projection.commentsOf(IDS.ticket).map((c) => c.id)).not.toContain(mine.id);
    expect(projected(r, IDS.ticket)).toMatchObject({ status: 'open', pending: 0 });
    expect(() => resolveHeldReply(r, { id: item.id, action: 'send' }, LATEST)).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('goes with its ticket deleted on the service: nothing held or pushed, its text kept for the agent', () => {
    const t = seededReplica();
    const r = t.replica;
    const { item } = held(t);
    r.applyPullPage(t.pages.page([t.pages.remove('ticket', IDS.ticket)]), LATEST);
    expect(r.held.list()).toEqual([]);
    expect(r.held.count()).toBe(0);
    expect(r.pushBatch().map((m) => m.name)).toEqual(['noop', 'noop']);
    // Its text stays where the agent can read it, until dismissed; what was held with it goes.
    expect(r.needsAttention()).toEqual([
      expect.objectContaining({
        name: 'addComment',
        args: expect.objectContaining({ id: item.commentId, body: item.body }),
        kind: 'rejected',
        error: { code: 'ticket_deleted', message: 'its ticket was deleted before it was sent' },
        entity: 'ticket',
        entityId: IDS.ticket,
        createdAt: LATEST,
      }),
    ]);
    r.resolveAttention(r.needsAttention()[0]!.id, 'theirs', LATEST);
    expect(r.counts().needsAttention).toBe(0);
    expect(() => resolveHeldReply(r, { id: item.id, action: 'send' }, LATEST)).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('goes with its ticket when a snapshot no longer delivers it (deleted meanwhile)', () => {
    const t = seededReplica();
    const r = t.replica;
    held(t);
    r.beginSnapshot();
    const rows = tenantChanges(t.pages).filter((c) => c.entity !== 'ticket' || c.id !== IDS.ticket);
    r.applyPullPage(t.pages.page(rows));
    expect(r.ticket(IDS.ticket)).toBeNull();
    expect(r.held.list()).toEqual([]);
  });

  it('goes with its ticket when an admin here deletes the ticket; the other holds stay', () => {
    const t = seededReplica(adminIdentity);
    const r = t.replica;
    held(t);
    r.mutate(
      'addComment',
      { id: newId(), ticketId: IDS.ticket2, body: 'On it', public: true },
      NOW,
    );
    pull(t, { comments: [{ ...customer(), ticketId: IDS.ticket2 }] });
    expect(r.held.list().map((h) => h.ticketId)).toEqual([IDS.ticket, IDS.ticket2]);

    r.mutate('deleteTicket', { ticketId: IDS.ticket }, LATEST);
    expect(r.held.list().map((h) => h.ticketId)).toEqual([IDS.ticket2]);
    expect(r.needsAttention().map((a) => [a.entityId, a.error?.code])).toEqual([
      [IDS.ticket, 'ticket_deleted'],
    ]);
    expect(r.pushBatch().map((m) => m.name)).toEqual(['noop', 'noop', 'noop', 'deleteTicket']);
  });
});
