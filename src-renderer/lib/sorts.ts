import type { TicketSort } from '../../src-shared/bridge/ticket-query';

/** The orders the ticket list offers, in the Sort menu's order. */
export const SORT_IDS = ['updated', 'waiting', 'oldest', 'newest', 'priority', 'number'] as const;
export type SortId = (typeof SORT_IDS)[number];

export const DEFAULT_SORT: SortId = 'updated';

export const SORTS: Record<SortId, { label: string; sort: TicketSort }> = {
  updated: { label: 'Recently updated', sort: { field: 'updatedAt', direction: 'desc' } },
  // The SLA clocks: the customer who has waited longest, and the oldest ticket, first.
  waiting: {
    label: 'Oldest customer reply first',
    sort: { field: 'lastCustomerReplyAt', direction: 'asc' },
  },
  oldest: { label: 'Oldest ticket first', sort: { field: 'createdAt', direction: 'asc' } },
  newest: { label: 'Newest ticket first', sort: { field: 'createdAt', direction: 'desc' } },
  priority: { label: 'Priority', sort: { field: 'priority', direction: 'desc' } },
  number: { label: 'Number', sort: { field: 'number', direction: 'desc' } },
};

/** The menu entry of a sort (a saved view's own), or the default one when the menu lacks it. */
export function sortIdOf(sort: TicketSort | undefined): SortId {
  if (!sort) return DEFAULT_SORT;
  const found = SORT_IDS.find(
    (id) => SORTS[id].sort.field === sort.field && SORTS[id].sort.direction === sort.direction,
  );
  return found ?? DEFAULT_SORT;
}
