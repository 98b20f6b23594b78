import { describe, expect, it } from 'vitest';
import { TicketListQuery } from '../../../../src-shared/bridge/ticket-query';
import { VIEW_IDS, VIEWS, viewQuery } from '../../../../src-renderer/lib/views';

describe('views', () => {
  it('lists the sidebar in the order of the keyboard map', () => {
    expect(VIEW_IDS.map((id) => VIEWS[id].label)).toEqual([
      'Mine',
      'Unassigned',
      'All open',
      'Pending',
      'Solved',
      'Needs attention',
    ]);
  });

  it('turns every view into a query the bridge accepts', () => {
    for (const id of VIEW_IDS) {
      expect(TicketListQuery.safeParse(viewQuery(id, 200)).success).toBe(true);
    }
    expect(viewQuery('all-open', 200)).toEqual({ status: ['new', 'open'], limit: 200 });
    expect(viewQuery('mine', 50, 'abc')).toMatchObject({ mine: true, limit: 50, after: 'abc' });
    expect(viewQuery('mine', 50).status).not.toContain('solved');
    expect(viewQuery('unassigned', 50)).toMatchObject({ unassigned: true });
    expect(viewQuery('needs-attention', 50)).toMatchObject({ needsAttention: true });
  });
});
