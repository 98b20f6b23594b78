import { describe, expect, it } from 'vitest';
import type { NewWorkNotice } from '../../../../src-shared/bridge/new-work';
import {
  addNotices,
  announcement,
  NOTICES_KEPT,
  noticeTarget,
} from '../../../../src-renderer/lib/notices';

const assigned = (n: number): NewWorkNotice => ({
  kind: 'assigned',
  ticketId: `t${n}`,
  number: n,
  subject: `Printer ${n} jams`,
});
const T1 = '2026-01-01T10:00:00.000Z';
const T2 = '2026-01-01T11:00:00.000Z';

describe('addNotices', () => {
  it('puts a batch first, in its order, with ids going on from the newest', () => {
    const first = addNotices([], [assigned(1)], T1);
    expect(first).toEqual([{ id: 1, at: T1, notice: assigned(1) }]);
    expect(addNotices(first, [assigned(2), assigned(3)], T2)).toEqual([
      { id: 3, at: T2, notice: assigned(2) },
      { id: 2, at: T2, notice: assigned(3) },
      { id: 1, at: T1, notice: assigned(1) },
    ]);
  });

  it(`keeps the newest ${NOTICES_KEPT}`, () => {
    let held = addNotices([], [assigned(0)], T1);
    for (let n = 1; n <= NOTICES_KEPT; n++) held = addNotices(held, [assigned(n)], T2);
    expect(held).toHaveLength(NOTICES_KEPT);
    expect(held[0]!.notice).toEqual(assigned(NOTICES_KEPT));
    expect(held.map((h) => h.notice)).not.toContainEqual(assigned(0));
    expect(new Set(held.map((h) => h.id)).size).toBe(NOTICES_KEPT);
  });
});

describe('announcement', () => {
  it('reads one notice out whole, several as a count, none as nothing', () => {
    expect(announcement([assigned(7)])).toBe('Ticket assigned to you: #7 Printer 7 jams');
    expect(
      announcement([{ kind: 'needs-attention', itemId: 1, ticketId: null, problem: 'rejected' }]),
    ).toBe('A change needs your attention: The service refused one of your changes.');
    expect(announcement([assigned(1), assigned(2)])).toBe('2 new notifications');
    expect(announcement([])).toBe('');
  });
});

describe('noticeTarget', () => {
  it("opens the notice's ticket, else the Needs attention view", () => {
    expect(noticeTarget(assigned(4))).toEqual({ kind: 'ticket', ticketId: 't4' });
    expect(
      noticeTarget({ kind: 'needs-attention', itemId: 2, ticketId: 't9', problem: 'conflict' }),
    ).toEqual({ kind: 'ticket', ticketId: 't9' });
    expect(
      noticeTarget({ kind: 'needs-attention', itemId: 2, ticketId: null, problem: 'conflict' }),
    ).toEqual({ kind: 'needs-attention' });
  });
});
