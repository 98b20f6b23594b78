import { describe, expect, it } from 'vitest';
import {
  diffWork,
  type KnownWork,
  type WorkView,
} from '../../../../src-main/core/services/new-work-notices';

const T0 = '2026-01-01T00:00:00.000Z';
const ticket = (id: string, pending = false, lastCustomerReplyAt = T0) => ({
  id,
  number: Number(id.slice(1)),
  subject: `Subject ${id}`,
  pending,
  lastCustomerReplyAt,
});
const item = (id: number, kind: 'conflict' | 'rejected' = 'conflict') => ({
  id,
  kind,
  entity: 'ticket',
  entityId: `t${id}`,
});

const view = (overrides: Partial<WorkView> = {}): WorkView => ({
  settled: true,
  mine: [],
  mineComplete: true,
  attention: [],
  ...overrides,
});

/** Runs views through diffWork as the watcher does; the notices of each step. */
function run(...views: WorkView[]) {
  let known: KnownWork | null = null;
  return views.map((next) => {
    const result = diffWork(known, next);
    known = result.known;
    return result.notices;
  });
}

describe('diffWork', () => {
  it('the first check records a baseline only; later ones report what is new', () => {
    const [first, second, third] = run(
      view({ mine: [ticket('t1'), ticket('t2')], attention: [item(1)] }),
      view({ mine: [ticket('t3'), ticket('t1'), ticket('t2')], attention: [item(1), item(2)] }),
      view({ mine: [ticket('t3'), ticket('t1'), ticket('t2')], attention: [item(1), item(2)] }),
    );
    expect(first).toEqual([]);
    expect(second).toEqual([
      { kind: 'assigned', ticketId: 't3', number: 3, subject: 'Subject t3' },
      { kind: 'needs-attention', itemId: 2, ticketId: 't2', problem: 'conflict' },
    ]);
    expect(third).toEqual([]);
  });

  it('never announces a ticket I just assigned to myself here (it has local changes)', () => {
    const [, mine, synced] = run(
      view({ mine: [ticket('t1')] }),
      view({ mine: [ticket('t9', true), ticket('t1')] }),
      view({ mine: [ticket('t9'), ticket('t1')] }),
    );
    expect(mine).toEqual([]);
    expect(synced).toEqual([]);
  });

  it('no storm while the replica fills up: unsettled views only move the baseline', () => {
    const backlog = Array.from({ length: 40 }, (_, i) => ticket(`t${i + 1}`));
    const [, during, settledAfter, next] = run(
      view({ settled: false }),
      view({ settled: false, mine: backlog.slice(0, 20) }),
      view({ mine: backlog }),
      view({ mine: [ticket('t99'), ...backlog] }),
    );
    expect(during).toEqual([]);
    // Compared with a baseline taken mid-sync: still no notices.
    expect(settledAfter).toEqual([]);
    expect(next).toEqual([expect.objectContaining({ kind: 'assigned', ticketId: 't99' })]);
  });

  it('a ticket unassigned and assigned again is new again, when the page held every ticket', () => {
    const [, gone, back] = run(
      view({ mine: [ticket('t1'), ticket('t2')] }),
      view({ mine: [ticket('t2')] }),
      view({ mine: [ticket('t1'), ticket('t2')] }),
    );
    expect(gone).toEqual([]);
    expect(back).toEqual([expect.objectContaining({ ticketId: 't1' })]);
  });

  it('a ticket that only dropped below a cut page is not new when it comes back', () => {
    const [, cut, back] = run(
      view({ mine: [ticket('t1'), ticket('t2')], mineComplete: false }),
      view({ mine: [ticket('t3', true), ticket('t2')], mineComplete: false }),
      view({ mine: [ticket('t1'), ticket('t3')], mineComplete: false }),
    );
    expect(cut).toEqual([]);
    expect(back).toEqual([]);
  });

  it('a resolved needs-attention item is forgotten; a new one is reported with its problem', () => {
    const [, resolved, fresh] = run(
      view({ attention: [item(1)] }),
      view({ attention: [] }),
      view({ attention: [{ ...item(5, 'rejected'), entity: null, entityId: null }] }),
    );
    expect(resolved).toEqual([]);
    expect(fresh).toEqual([
      { kind: 'needs-attention', itemId: 5, ticketId: null, problem: 'rejected' },
    ]);
  });

  it('reports a new reply from the requester of a ticket of mine, once', () => {
    const LATER = '2026-01-02T09:30:00.000Z';
    const [, replied, same, older] = run(
      view({ mine: [ticket('t1'), ticket('t2')] }),
      // My own pending changes (say my answer) do not hide the requester's reply.
      view({ mine: [ticket('t1', true, LATER), ticket('t2')] }),
      view({ mine: [ticket('t1', false, LATER), ticket('t2')] }),
      view({ mine: [ticket('t1', false, T0), ticket('t2')] }),
    );
    expect(replied).toEqual([
      { kind: 'customer-reply', ticketId: 't1', number: 1, subject: 'Subject t1' },
    ]);
    expect(same).toEqual([]);
    // Going back (the reply was deleted) is not news.
    expect(older).toEqual([]);
  });

  it('a ticket newly mine is announced as assigned, not as a reply; nothing while unsettled', () => {
    const LATER = '2026-01-02T09:30:00.000Z';
    const [, assigned, during, after] = run(
      view({ mine: [ticket('t1')] }),
      view({ mine: [ticket('t2', false, LATER), ticket('t1')] }),
      view({ settled: false, mine: [ticket('t2', false, LATER), ticket('t1', false, LATER)] }),
      view({ mine: [ticket('t2', false, LATER), ticket('t1', false, LATER)] }),
    );
    expect(assigned).toEqual([expect.objectContaining({ kind: 'assigned', ticketId: 't2' })]);
    expect(during).toEqual([]);
    // The baseline moved with the unsettled view: the reply is not announced late.
    expect(after).toEqual([]);
  });

  it('a cut page keeps the reply times of tickets beyond it', () => {
    const LATER = '2026-01-02T09:30:00.000Z';
    const [, cut, back] = run(
      view({ mine: [ticket('t1'), ticket('t2')], mineComplete: false }),
      view({ mine: [ticket('t2')], mineComplete: false }),
      view({ mine: [ticket('t1', false, LATER), ticket('t2')], mineComplete: false }),
    );
    expect(cut).toEqual([]);
    expect(back).toEqual([expect.objectContaining({ kind: 'customer-reply', ticketId: 't1' })]);
  });
});
