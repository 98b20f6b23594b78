import { describe, expect, it } from 'vitest';
import { TicketSort } from '../../../../src-shared/bridge/ticket-query';
import { DEFAULT_SORT, SORT_IDS, SORTS, sortIdOf } from '../../../../src-renderer/lib/sorts';

describe('sorts', () => {
  it('offers orders the bridge accepts, the SLA clocks among them', () => {
    for (const id of SORT_IDS) expect(TicketSort.safeParse(SORTS[id].sort).success).toBe(true);
    expect(SORTS.waiting.sort).toEqual({ field: 'lastCustomerReplyAt', direction: 'asc' });
    expect(SORTS.oldest.sort).toEqual({ field: 'createdAt', direction: 'asc' });
  });

  it('finds the menu entry of a sort, or the default one', () => {
    expect(sortIdOf({ field: 'priority', direction: 'desc' })).toBe('priority');
    expect(sortIdOf({ field: 'priority', direction: 'asc' })).toBe(DEFAULT_SORT);
    expect(sortIdOf(undefined)).toBe(DEFAULT_SORT);
  });
});
