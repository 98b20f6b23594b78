import type { SavedView } from '../../src-shared/bridge/triage';
import type { CheckedTicket } from '../lib/bulk';
import type { ListSource } from '../lib/list-source';
import { PageCache } from '../lib/page-cache';
import { DEFAULT_SORT, type SortId } from '../lib/sorts';
import { DEFAULT_VIEW, type ViewId } from '../lib/views';

export const PAGE_SIZE = 200;
/** Rows kept in memory at most: 20 pages of 200. */
export const MAX_PAGES = 20;

export type { ListSource };

/** The ticket list: what it shows and in which order, its rows (paged), the counts, the selection. */
export interface ListSlice {
  view: ViewId;
  source: ListSource;
  sort: SortId;
  cache: PageCache;
  /** Bumped whenever `cache` changes (it is changed in place). */
  cacheVersion: number;
  counts: Partial<Record<ViewId, number>>;
  /** The agent's saved views, each with its count. */
  savedViews: SavedView[];
  selectedId: string | null;
  /** Where the selected row was last seen (it may scroll out of the cache). */
  selectedIndex: number;
  /** The tickets selected for bulk actions (x, Shift+J/K), in the order they were picked. */
  checked: CheckedTicket[];
  listError: string | null;
  /** What the search box holds (the search runs on Enter). */
  searchDraft: string;
  searchError: string | null;
}

export const newPageCache = () => new PageCache(PAGE_SIZE, MAX_PAGES);

export const initialList = (): ListSlice => ({
  view: DEFAULT_VIEW,
  source: { kind: 'view', view: DEFAULT_VIEW },
  sort: DEFAULT_SORT,
  cache: newPageCache(),
  cacheVersion: 0,
  counts: {},
  savedViews: [],
  selectedId: null,
  selectedIndex: -1,
  checked: [],
  listError: null,
  searchDraft: '',
  searchError: null,
});
