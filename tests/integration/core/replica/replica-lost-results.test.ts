import { afterEach, describe, expect, it } from 'vitest';
import type { MutationResult } from '../../../../src-shared/protocol/sync';
import {
  IDS,
  NOW,
  outbox,
  removeTempDirs,
  seededReplica,
  type TestReplica,
} from './replica-fixtures';

/**
 * Results the service no longer has, on a real replica file: a completed pull that reports a
 * lower `lastMutationId` than the results recorded (the service was restored or forgot this
 * client), and `renumber(processedThrough)` after a mutation gap or a client id that is not ours.
 */

afterEach(removeTempDirs);

const statusConflict = (id: number): MutationResult => ({
  id,
  status: 'conflict',
  conflicts: [{ field: 'status', server: 'solved', mine: 'open' }],
  field: 'status',
  server: 'solved',
  mine: 'open',
});

function tag(t: TestReplica, tagName: string, ticketId: string = IDS.ticket): number {
  return t.replica.mutate('addTags', { ticketId, tags: [tagName] }, NOW).mutationId;
}

describe('a completed pull below the recorded results', () => {
  it('drops the rows it covers and sends the applied ones above it again', () => {
    const t = seededReplica();
    const ids = [tag(t, 'one'), tag(t, 'two'), tag(t, 'three')];
    expect(ids).toEqual([1, 2, 3]);
    t.replica.markSent(ids, NOW);
    t.replica.applyPushResults(
      ids.map((id) => ({ id, status: 'applied' as const })),
      NOW,
    );
    expect(t.replica.pushBatch()).toEqual([]);

    // A page that is not the last one changes nothing yet.
    t.replica.applyPullPage(t.pages.page([], { hasMore: true, lastMutationId: 1 }));
    expect(outbox(t.replica).map((r) => [r.id, r.result?.status ?? null])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'applied'],
    ]);

    t.replica.applyPullPage(t.pages.page([], { hasMore: false, lastMutationId: 1 }));
    expect(outbox(t.replica).map((r) => [r.id, r.result, r.sent_at])).toEqual([
      [2, null, null],
      [3, null, null],
    ]);
    expect(t.replica.pushBatch()).toEqual([
      { id: 2, name: 'addTags', args: { ticketId: IDS.ticket, tags: ['two'] } },
      { id: 3, name: 'addTags', args: { ticketId: IDS.ticket, tags: ['three'] } },
    ]);
    // Still shown while they are on their way again.
    expect(t.replica.reader().get('ticket', IDS.ticket)?.tags).toEqual(
      expect.arrayContaining(['two', 'three']),
    );
    expect(t.replica.counts()).toEqual({ pending: 2, needsAttention: 0 });

    // The same state survives a restart.
    expect(outbox(t.reopen()).map((r) => [r.id, r.result, r.sent_at])).toEqual([
      [2, null, null],
      [3, null, null],
    ]);
  });

  it('leaves rows without a result and conflicts above it alone', () => {
    const t = seededReplica();
    const a = tag(t, 'a');
    const conflict = t.replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket2, fields: { status: 'open' } },
      NOW,
    ).mutationId;
    const unsent = tag(t, 'c');
    t.replica.markSent([a, conflict], NOW);
    t.replica.applyPushResults([{ id: a, status: 'applied' }, statusConflict(conflict)], NOW);
    t.replica.applyPullPage(t.pages.page([], { hasMore: false, lastMutationId: 0 }));
    expect(outbox(t.replica).map((r) => [r.id, r.result?.status ?? null, r.sent_at])).toEqual([
      [a, null, null],
      [conflict, 'conflict', NOW],
      [unsent, null, null],
    ]);
    expect(t.replica.pushBatch().map((m) => m.id)).toEqual([a, unsent]);
    expect(t.replica.needsAttention()).toHaveLength(1);
  });
});

/**
 * Outbox of five rows: 1 applied, 2 conflict, 3 applied, 4 rejected, 5 unsent (in that order),
 * with the conflict and the rejection in needs_attention.
 */
function mixedOutbox(): TestReplica {
  const t = seededReplica();
  tag(t, 'first'); // 1
  t.replica.mutate('setTicketFields', { ticketId: IDS.ticket2, fields: { status: 'open' } }, NOW); // 2
  tag(t, 'third'); // 3
  tag(t, 'fourth', IDS.ticket2); // 4
  tag(t, 'fifth'); // 5
  t.replica.markSent([1, 2, 3, 4], NOW);
  t.replica.applyPushResults(
    [
      { id: 1, status: 'applied' },
      statusConflict(2),
      { id: 3, status: 'applied' },
      { id: 4, status: 'rejected', error: { code: 'forbidden', message: 'no' } },
    ],
    NOW,
  );
  return t;
}

describe('renumber(processedThrough)', () => {
  it('drops what the service has, keeps the lost applied row and the unsent one, numbered from 1', () => {
    const t = mixedOutbox();
    const r = t.replica;
    const oldClientId = r.clientId;
    const attention = r.needsAttention();
    expect(attention.map((a) => [a.mutationId, a.kind])).toEqual([
      [2, 'conflict'],
      [4, 'rejected'],
    ]);

    const clientId = r.renumber(2);
    expect(clientId).not.toBe(oldClientId);
    expect(r.clientId).toBe(clientId);
    // 1 (applied, <= 2) is with the service; 2 and 4 stay in needs_attention only; 3 (applied
    // above 2) was lost and 5 was never answered: both sent again as 1 and 2.
    expect(outbox(r).map((row) => [row.id, row.args.tags, row.result, row.sent_at])).toEqual([
      [1, ['third'], null, null],
      [2, ['fifth'], null, null],
    ]);
    expect(r.pushBatch().map((m) => [m.id, m.args])).toEqual([
      [1, { ticketId: IDS.ticket, tags: ['third'] }],
      [2, { ticketId: IDS.ticket, tags: ['fifth'] }],
    ]);
    expect(r.needsAttention()).toEqual(attention);
    expect(r.cursor).toBe('0');
    expect(r.snapshotInProgress).toBe(true);
    expect(r.mutate('noop', {}, NOW).mutationId).toBe(3);
  });

  it('null counts every row with a result as processed: only unanswered rows remain', () => {
    const t = mixedOutbox();
    const r = t.replica;
    const oldClientId = r.clientId;
    const attention = r.needsAttention();

    const clientId = r.renumber(null);
    expect(clientId).not.toBe(oldClientId);
    expect(r.clientId).toBe(clientId);
    expect(outbox(r).map((row) => [row.id, row.args.tags, row.result, row.sent_at])).toEqual([
      [1, ['fifth'], null, null],
    ]);
    expect(r.pushBatch().map((m) => m.id)).toEqual([1]);
    expect(r.needsAttention()).toEqual(attention);
    expect(r.cursor).toBe('0');
    expect(r.snapshotInProgress).toBe(true);
    expect(r.mutate('noop', {}, NOW).mutationId).toBe(2);

    // Numbering and client id survive a restart.
    const reopened = t.reopen();
    expect(reopened.clientId).toBe(clientId);
    expect(outbox(reopened).map((row) => row.id)).toEqual([1, 2]);
  });
});
