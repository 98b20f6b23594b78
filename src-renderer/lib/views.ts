import type { TicketListQueryInput } from '../../src-shared/bridge/ticket-query';

/** The sidebar views, in sidebar order (`g` then 1..6 follows it). */
export const VIEW_IDS = [
  'mine',
  'unassigned',
  'all-open',
  'pending',
  'solved',
  'needs-attention',
] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const DEFAULT_VIEW: ViewId = 'all-open';

const NOT_DONE = ['new', 'open', 'pending', 'on_hold'] as const;

interface ViewDef {
  label: string;
  filters: Omit<TicketListQueryInput, 'sort' | 'limit' | 'after'>;
}

export const VIEWS: Record<ViewId, ViewDef> = {
  mine: { label: 'Mine', filters: { mine: true, status: [...NOT_DONE] } },
  unassigned: { label: 'Unassigned', filters: { unassigned: true, status: [...NOT_DONE] } },
  'all-open': { label: 'All open', filters: { status: ['new', 'open'] } },
  pending: { label: 'Pending', filters: { status: ['pending'] } },
  solved: { label: 'Solved', filters: { status: ['solved'] } },
  'needs-attention': { label: 'Needs attention', filters: { needsAttention: true } },
};

/** The listTickets query of a view's page. */
export function viewQuery(view: ViewId, limit: number, after?: string): TicketListQueryInput {
  return { ...VIEWS[view].filters, limit, ...(after === undefined ? {} : { after }) };
}
