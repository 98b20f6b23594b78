import { afterEach, describe, expect, it } from 'vitest';
import { LocalMutationError } from '../../../../src-main/core/replica/replica';
import {
  IDS,
  LATER,
  NOW,
  newId,
  outbox,
  projected,
  projectedTags,
  projectionMismatches,
  removeTempDirs,
  search,
  seededReplica,
  ticket,
} from './replica-fixtures';

/**
 * undoLast() on a real replica file: an unsent mutation becomes `noop` (its id stays), a sent one
 * is followed by its compensating mutation, and what has no way back is refused.
 */

afterEach(removeTempDirs);

function refusalCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LocalMutationError);
    return (error as LocalMutationError).code;
  }
  throw new Error('expected a LocalMutationError');
}

describe('undo of a mutation not yet sent', () => {
  it('turns it into noop, keeps its id, and the view goes back', () => {
    const { replica } = seededReplica();
    replica.mutate('addTags', { ticketId: IDS.ticket2, tags: ['keep'] }, NOW);
    replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'solved', priority: 'high' } },
      NOW,
    );
    expect(projected(replica, IDS.ticket)).toMatchObject({ status: 'solved', pending: 1 });

    expect(replica.undoLast(LATER)).toEqual({ undone: 2, by: 'noop' });
    expect(outbox(replica).map((r) => [r.id, r.name, r.args, r.base])).toEqual([
      [1, 'addTags', { ticketId: IDS.ticket2, tags: ['keep'] }, null],
      [2, 'noop', {}, null],
    ]);
    expect(replica.reader().get('ticket', IDS.ticket)).toEqual(ticket());
    expect(replica.ticket(IDS.ticket)?.pending).toBe(false);
    expect(projected(replica, IDS.ticket)).toMatchObject({
      status: 'open',
      priority: 'normal',
      updatedAt: ticket().updatedAt,
      pending: 0,
    });
    // The earlier change is untouched.
    expect(projectedTags(replica, IDS.ticket2)).toEqual(['keep']);
    // Numbering goes on after the noop; the noop is pushed in its place.
    expect(replica.mutate('noop', {}, NOW).mutationId).toBe(3);
    expect(replica.pushBatch().map((m) => [m.id, m.name])).toEqual([
      [1, 'addTags'],
      [2, 'noop'],
      [3, 'noop'],
    ]);
    expect(replica.counts().pending).toBe(1);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('undoes one change after another, newest first, then has nothing left', () => {
    const { replica } = seededReplica();
    const commentId = newId();
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'pending' } }, NOW);
    replica.mutate(
      'addComment',
      { id: commentId, ticketId: IDS.ticket, body: 'Typo here', public: true },
      NOW,
    );
    expect(replica.undoLast(NOW)).toEqual({ undone: 2, by: 'noop' });
    expect(replica.reader().get('comment', commentId)).toBeNull();
    expect(search(replica, 'typo')).toEqual([]);
    expect(projected(replica, IDS.ticket)?.status).toBe('pending');
    expect(replica.undoLast(NOW)).toEqual({ undone: 1, by: 'noop' });
    expect(projected(replica, IDS.ticket)).toMatchObject({ status: 'open', pending: 0 });
    expect(refusalCode(() => replica.undoLast(NOW))).toBe('not_found');
    expect(outbox(replica).map((r) => r.name)).toEqual(['noop', 'noop']);
  });

  it('undoes a created ticket and its contact', () => {
    const { replica } = seededReplica();
    const contactId = newId();
    const ticketId = newId();
    replica.mutate('createContact', { id: contactId, name: 'Bugs Bunny' }, NOW);
    replica.mutate(
      'createTicket',
      { id: ticketId, subject: 'Carrots', description: '', requesterId: contactId },
      NOW,
    );
    replica.undoLast(NOW);
    expect(projected(replica, ticketId)).toBeUndefined();
    expect(search(replica, 'carrots')).toEqual([]);
    replica.undoLast(NOW);
    expect(replica.reader().get('contact', contactId)).toBeNull();
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('has nothing to undo on an empty outbox', () => {
    const { replica } = seededReplica();
    expect(refusalCode(() => replica.undoLast(NOW))).toBe('not_found');
    expect(outbox(replica)).toEqual([]);
  });
});

describe('undo of a sent mutation', () => {
  it('queues setTicketFields back to the previous values with base = what is shown now', () => {
    const { replica } = seededReplica();
    replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'solved', assigneeId: null } },
      NOW,
    );
    replica.markSent([1], NOW);
    expect(replica.undoLast(LATER)).toEqual({ undone: 1, by: 'compensation' });
    const rows = outbox(replica);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: 1, name: 'setTicketFields', undone: 1 });
    expect(rows[0]!.args).toEqual({
      ticketId: IDS.ticket,
      fields: { status: 'solved', assigneeId: null },
    });
    expect(rows[1]).toMatchObject({
      id: 2,
      name: 'setTicketFields',
      args: { ticketId: IDS.ticket, fields: { status: 'open', assigneeId: IDS.agent } },
      base: { status: 'solved', assigneeId: null },
      sent_at: null,
    });
    expect(replica.reader().get('ticket', IDS.ticket)).toMatchObject({
      status: 'open',
      assigneeId: IDS.agent,
    });
    expect(projected(replica, IDS.ticket)).toMatchObject({ status: 'open', assigneeId: IDS.agent });
    expect(replica.pushBatch().map((m) => m.id)).toEqual([1, 2]);
    expect(projectionMismatches(replica)).toEqual([]);
  });

  it('takes base from the current view when the server moved on meanwhile', () => {
    const t = seededReplica();
    t.replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { priority: 'high' } },
      NOW,
    );
    t.replica.markSent([1], NOW);
    t.replica.applyPushResults([{ id: 1, status: 'applied' }], NOW);
    // The pull brings the effect of 1 and another agent's status change.
    t.replica.applyPullPage(
      t.pages.page([t.pages.upsert('ticket', ticket({ priority: 'high', status: 'pending' }))], {
        lastMutationId: 1,
        hasMore: true,
      }),
    );
    t.replica.undoLast(LATER);
    const compensation = outbox(t.replica).at(-1)!;
    expect(compensation.args).toEqual({ ticketId: IDS.ticket, fields: { priority: 'normal' } });
    expect(compensation.base).toEqual({ priority: 'high' });
    expect(t.replica.reader().get('ticket', IDS.ticket)).toMatchObject({
      priority: 'normal',
      status: 'pending',
    });
  });

  it('undoes addTags with removeTags of only the tags it added, and removeTags with addTags', () => {
    const { replica } = seededReplica();
    replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['Printer', 'VIP'] }, NOW);
    replica.markSent([1], NOW);
    replica.undoLast(NOW);
    expect(outbox(replica)[1]).toMatchObject({
      name: 'removeTags',
      args: { ticketId: IDS.ticket, tags: ['vip'] },
    });
    expect(projectedTags(replica, IDS.ticket)).toEqual(['hardware', 'printer']);

    replica.mutate('removeTags', { ticketId: IDS.ticket, tags: ['hardware', 'absent'] }, NOW);
    replica.markSent([3], NOW);
    expect(projectedTags(replica, IDS.ticket)).toEqual(['printer']);
    expect(replica.undoLast(NOW)).toEqual({ undone: 3, by: 'compensation' });
    expect(outbox(replica)[3]).toMatchObject({
      id: 4,
      name: 'addTags',
      args: { ticketId: IDS.ticket, tags: ['hardware'] },
    });
    expect(projectedTags(replica, IDS.ticket)).toEqual(['hardware', 'printer']);
  });

  it('undoes a profile edit and a preferences change', () => {
    const { replica } = seededReplica();
    replica.mutate('updateProfile', { fields: { title: 'Team lead', fax: '+1 555 0111' } }, NOW);
    replica.mutate('setCommunicationPreferences', { newsletter: true, productUpdates: true }, NOW);
    replica.markSent([1, 2], NOW);
    replica.undoLast(NOW);
    expect(outbox(replica)[2]).toMatchObject({
      name: 'setCommunicationPreferences',
      args: { newsletter: false, productUpdates: true },
      base: { newsletter: true, productUpdates: true },
    });
    expect(replica.reader().get('preferences', IDS.agent)?.newsletter).toBe(false);
    replica.undoLast(NOW);
    expect(outbox(replica)[3]).toMatchObject({
      name: 'updateProfile',
      args: { fields: { title: 'Support agent', fax: null } },
      base: { title: 'Team lead', fax: '+1 555 0111' },
    });
    expect(replica.reader().get('profile', IDS.agent)).toMatchObject({
      title: 'Support agent',
      fax: null,
    });
  });

  it('refuses to undo a sent comment and queues nothing', () => {
    const { replica } = seededReplica();
    const commentId = newId();
    replica.mutate(
      'addComment',
      { id: commentId, ticketId: IDS.ticket, body: 'Sent already', public: true },
      NOW,
    );
    replica.markSent([1], NOW);
    expect(refusalCode(() => replica.undoLast(NOW))).toBe('bad_request');
    expect(outbox(replica)).toHaveLength(1);
    expect(outbox(replica)[0]).toMatchObject({ name: 'addComment', undone: 0 });
    expect(replica.reader().get('comment', commentId)?.body).toBe('Sent already');
  });

  it('does not undo a compensation, nor the change it took back, again', () => {
    const { replica } = seededReplica();
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { priority: 'low' } }, NOW);
    replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { status: 'solved' } }, NOW);
    replica.markSent([1, 2], NOW);
    expect(replica.undoLast(NOW)).toEqual({ undone: 2, by: 'compensation' });
    expect(replica.undoLast(NOW)).toEqual({ undone: 1, by: 'compensation' });
    expect(refusalCode(() => replica.undoLast(NOW))).toBe('not_found');
    expect(outbox(replica).map((r) => r.args.fields)).toEqual([
      { priority: 'low' },
      { status: 'solved' },
      { status: 'open' },
      { priority: 'normal' },
    ]);
    expect(replica.reader().get('ticket', IDS.ticket)).toMatchObject({
      status: 'open',
      priority: 'normal',
    });
  });

  it('does not compensate a change the service refused (it never took effect)', () => {
    const t = seededReplica();
    t.replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'pending' } },
      NOW,
    );
    t.replica.markSent([1], NOW);
    t.replica.applyPushResults(
      [
        {
          id: 1,
          status: 'conflict',
          conflicts: [{ field: 'status', server: 'solved', mine: 'pending' }],
          field: 'status',
          server: 'solved',
          mine: 'pending',
        },
      ],
      NOW,
    );
    t.replica.applyPullPage(t.pages.page([t.pages.upsert('ticket', ticket({ status: 'solved' }))]));
    // A compensation here would send status "open" over the other agent's "solved".
    expect(refusalCode(() => t.replica.undoLast(LATER))).toBe('not_found');
    expect(t.replica.pushBatch()).toEqual([]);
    expect(t.replica.reader().get('ticket', IDS.ticket)?.status).toBe('solved');
    expect(t.replica.needsAttention()).toHaveLength(1);
  });

  it('still undoes after the app restarts', () => {
    const t = seededReplica();
    t.replica.mutate('setTicketFields', { ticketId: IDS.ticket, fields: { type: null } }, NOW);
    t.replica.markSent([1], NOW);
    const replica = t.reopen();
    expect(replica.undoLast(NOW)).toEqual({ undone: 1, by: 'compensation' });
    expect(outbox(replica)[1]).toMatchObject({
      args: { ticketId: IDS.ticket, fields: { type: 'incident' } },
      base: { type: null },
    });
  });
});
