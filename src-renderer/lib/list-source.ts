import type { BridgeInput } from '../../src-shared/bridge/contract';
import type { TicketListQueryInput, TicketSort } from '../../src-shared/bridge/ticket-query';
import type { SavedView } from '../../src-shared/bridge/triage';
import { viewQuery, VIEWS, type ViewId } from './views';

/** What the ticket list shows: a sidebar view, a search, or a saved view. */
export type ListSource =
  { kind: 'view'; view: ViewId } | { kind: 'search'; text: string } | { kind: 'saved'; id: string };

/** The bridge call that reads one page of a list. */
export type ListRequest =
  | { call: 'listTickets'; input: TicketListQueryInput }
  | { call: 'searchTickets'; input: BridgeInput<'searchTickets'> };

const paging = (limit: number, after: string | undefined) => ({
  limit,
  ...(after === undefined ? {} : { after }),
});

/** The request of a page of `source` in `sort` order; null for a saved view that is gone. */
export function listRequest(
  source: ListSource,
  savedViews: readonly SavedView[],
  sort: TicketSort,
  limit: number,
  after?: string,
): ListRequest | null {
  switch (source.kind) {
    case 'view':
      return { call: 'listTickets', input: { ...viewQuery(source.view, limit, after), sort } };
    case 'search':
      return { call: 'searchTickets', input: { text: source.text, sort, ...paging(limit, after) } };
    case 'saved': {
      const view = savedViews.find((v) => v.id === source.id);
      if (!view) return null;
      if ('search' in view.query)
        return {
          call: 'searchTickets',
          input: { text: view.query.search, sort, ...paging(limit, after) },
        };
      return {
        call: 'listTickets',
        input: { ...view.query.filters, sort, ...paging(limit, after) },
      };
    }
  }
}

/** The list's heading. */
export function listTitle(source: ListSource, savedViews: readonly SavedView[]): string {
  if (source.kind === 'view') return VIEWS[source.view].label;
  if (source.kind === 'search') return 'Search results';
  return savedViews.find((v) => v.id === source.id)?.name ?? 'Saved view';
}
