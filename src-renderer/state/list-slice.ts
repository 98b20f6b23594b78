import { PageCache } from '../lib/page-cache';
import { DEFAULT_VIEW, type ViewId } from '../lib/views';

export const PAGE_SIZE = 200;
/** Rows kept in memory at most: 20 pages of 200. */
export const MAX_PAGES = 20;

export type ListSource = { kind: 'view'; view: ViewId } | { kind: 'search'; text: string };

/** The ticket list: what it shows, its rows (paged), the sidebar counts and the selection. */
export interface ListSlice {
  view: ViewId;
  source: ListSource;
  cache: PageCache;
  /** Bumped whenever `cache` changes (it is changed in place). */
  cacheVersion: number;
  counts: Partial<Record<ViewId, number>>;
  selectedId: string | null;
  /** Where the selected row was last seen (it may scroll out of the cache). */
  selectedIndex: number;
  listError: string | null;
  /** What the search box holds (the search runs on Enter). */
  searchDraft: string;
  searchError: string | null;
}

export const newPageCache = () => new PageCache(PAGE_SIZE, MAX_PAGES);

export const initialList = (): ListSlice => ({
  view: DEFAULT_VIEW,
  source: { kind: 'view', view: DEFAULT_VIEW },
  cache: newPageCache(),
  cacheVersion: 0,
  counts: {},
  selectedId: null,
  selectedIndex: -1,
  listError: null,
  searchDraft: '',
  searchError: null,
});
