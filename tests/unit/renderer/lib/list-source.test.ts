import { describe, expect, it } from 'vitest';
import type { SavedView } from '../../../../src-shared/bridge/triage';
import { listRequest, listTitle } from '../../../../src-renderer/lib/list-source';

const sort = { field: 'createdAt', direction: 'asc' } as const;
const views: SavedView[] = [
  { id: 'v1', name: 'VIP', query: { search: 'tag:vip' }, count: 3 },
  {
    id: 'v2',
    name: 'Urgent mine',
    query: {
      filters: { priority: ['urgent'], mine: true, sort: { field: 'number', direction: 'asc' } },
    },
    count: 1,
  },
];

describe('listRequest', () => {
  it('reads a view, a search and a saved view in the chosen order, page after page', () => {
    expect(listRequest({ kind: 'view', view: 'pending' }, views, sort, 50, 'c1')).toEqual({
      call: 'listTickets',
      input: { status: ['pending'], limit: 50, after: 'c1', sort },
    });
    expect(listRequest({ kind: 'search', text: 'printer' }, views, sort, 50)).toEqual({
      call: 'searchTickets',
      input: { text: 'printer', sort, limit: 50 },
    });
    expect(listRequest({ kind: 'saved', id: 'v1' }, views, sort, 50)).toEqual({
      call: 'searchTickets',
      input: { text: 'tag:vip', sort, limit: 50 },
    });
    expect(listRequest({ kind: 'saved', id: 'v2' }, views, sort, 50, 'c2')).toEqual({
      call: 'listTickets',
      // The list's sort (the view opened with its own: selectSavedView sets it).
      // The list's own sort: opening the view set it from the view's (see selectSavedView).
      input: { priority: ['urgent'], mine: true, sort, limit: 50, after: 'c2' },
    });
  });

  it('has nothing to read for a saved view that is gone', () => {
    expect(listRequest({ kind: 'saved', id: 'gone' }, views, sort, 50)).toBeNull();
  });
});

describe('listTitle', () => {
  it('names the list by its view, search or saved view', () => {
    expect(listTitle({ kind: 'view', view: 'all-open' }, views)).toBe('All open');
    expect(listTitle({ kind: 'search', text: 'x' }, views)).toBe('Search results');
    expect(listTitle({ kind: 'saved', id: 'v2' }, views)).toBe('Urgent mine');
    expect(listTitle({ kind: 'saved', id: 'gone' }, views)).toBe('Saved view');
  });
});
