import type { TicketPage } from '../../src-shared/bridge/ticket-query';
import { helpdesk } from '../bridge';
import { parseBridgeError } from '../lib/bridge-error';
import { listRequest } from '../lib/list-source';
import { SORTS, sortIdOf, type SortId } from '../lib/sorts';
import { VIEW_IDS, VIEWS, type ViewId } from '../lib/views';
import { PAGE_SIZE, newPageCache, type ListSource } from '../state/list-slice';
import { appStore } from '../state/store';
import { closeSettings } from './settings-actions';
import { nextAttentionTicket, nextHeldTicket, openTicket } from './ticket-actions';

/**
 * Loads the ticket list's pages as rows come into view, one request at a time, and keeps the
 * selection by ticket id across re-queries. A new source or a replica change starts a new
 * generation: an answer from an older one is dropped.
 */

let generation = 0;
let pumping = false;
let visible: [number, number] = [0, 0];
let scrollToIndex: ((index: number) => void) | null = null;
/** A row to select once its page arrives (j/k onto a row not loaded yet). */
let selectWhenLoaded: number | null = null;

const bumpCache = () => appStore.setState((s) => ({ cacheVersion: s.cacheVersion + 1 }));

function fetchPage(after: string | undefined): Promise<TicketPage> {
  const { source, savedViews, sort } = appStore.getState();
  const request = listRequest(source, savedViews, SORTS[sort].sort, PAGE_SIZE, after);
  // A saved view deleted meanwhile shows nothing (the sidebar no longer offers it).
  if (!request) return Promise.resolve({ tickets: [], total: 0, next: null });
  return request.call === 'listTickets'
    ? helpdesk().listTickets(request.input)
    : helpdesk().searchTickets(request.input);
}

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      const { cache } = appStore.getState();
      const request = cache.nextRequest(visible[0], visible[1]);
      if (!request) break;
      const started = generation;
      const page = await fetchPage(request.after);
      if (started !== generation) continue;
      cache.store(request.page, page);
      appStore.setState((s) => ({ cacheVersion: s.cacheVersion + 1, listError: null }));
      if (selectWhenLoaded !== null && cache.rowAt(selectWhenLoaded)) selectIndex(selectWhenLoaded);
    }
  } catch (error) {
    const { message } = parseBridgeError(error);
    if (appStore.getState().source.kind !== 'view') appStore.setState({ searchError: message });
    else appStore.setState({ listError: message });
  } finally {
    pumping = false;
  }
}

/** The virtual list reports the rows on screen (overscan included). */
export function setVisibleRange(first: number, last: number): void {
  visible = [first, last];
  void pump();
}

/** The virtual list lets the keyboard scroll it. */
export function registerScroller(scroll: ((index: number) => void) | null): void {
  scrollToIndex = scroll;
}

function showSource(source: ListSource, extra: Partial<{ view: ViewId; sort: SortId }> = {}): void {
  generation++;
  selectWhenLoaded = null;
  appStore.setState((s) => ({
    ...extra,
    source,
    cache: newPageCache(),
    cacheVersion: s.cacheVersion + 1,
    listError: null,
    searchError: null,
  }));
  scrollToIndex?.(0);
  visible = [0, 0];
  void pump();
}

export function selectView(view: ViewId): void {
  showSource({ kind: 'view', view }, { view });
}

/** A saved view, in its own order. */
export function selectSavedView(id: string): void {
  const view = appStore.getState().savedViews.find((v) => v.id === id);
  if (!view) return;
  const sort = 'filters' in view.query ? sortIdOf(view.query.filters.sort) : undefined;
  appStore.setState({ searchDraft: '', searchError: null });
  showSource({ kind: 'saved', id }, sort ? { sort } : {});
}

/** The same list in another order, from its top. */
export function setSort(sort: SortId): void {
  showSource(appStore.getState().source, { sort });
}

export const selectViewAt = (index: number) => {
  const view = VIEW_IDS[index];
  if (view) selectView(view);
};

/** Shows the results of a search in the core's syntax; an empty search shows the view again. */
export function runSearch(text: string): void {
  const trimmed = text.trim();
  if (trimmed === '') clearSearch();
  else showSource({ kind: 'search', text: trimmed });
}

export const setSearchDraft = (searchDraft: string) => appStore.setState({ searchDraft });

/** Empties the search box and shows the view again. */
export function clearSearch(): void {
  const { source, view } = appStore.getState();
  appStore.setState({ searchDraft: '', searchError: null });
  if (source.kind === 'search') showSource({ kind: 'view', view });
}

/**
 * Starts the list again from its top with no page kept: what it showed is not just old but a part
 * of the whole (a replica being filled).
 */
export function reloadList(): void {
  showSource(appStore.getState().source);
}

/**
 * Loads the rows on screen not loaded yet, keeping what is (a workspace just shown). Unlike
 * refreshList it drops no answer on its way: at start-up the list's own first page is.
 */
export function loadList(): void {
  void pump();
}

/** The replica changed: every page on screen is fetched again (the rest when next shown). */
export function refreshList(): void {
  generation++;
  appStore.getState().cache.invalidate();
  bumpCache();
  void pump();
}

/** The sidebar's counts, the saved views' included (the replica counts them as it is now). */
export async function refreshCounts(): Promise<void> {
  try {
    const [savedViews, ...totals] = await Promise.all([
      helpdesk().listSavedViews({}),
      ...VIEW_IDS.map((id) => helpdesk().listTickets({ ...VIEWS[id].filters, limit: 1 })),
    ]);
    appStore.setState({
      savedViews,
      counts: Object.fromEntries(VIEW_IDS.map((id, i) => [id, totals[i]!.total])),
    });
  } catch {
    // The list shows the failure; the counts keep their last values.
  }
}

function select(id: string, index: number): void {
  selectWhenLoaded = null;
  appStore.setState({ selectedId: id, selectedIndex: index });
  void openTicket(id);
}

/** Selects and opens the row at `index` (scrolling to it, waiting for its page if needed). */
export function selectIndex(index: number): void {
  const { cache } = appStore.getState();
  const total = cache.total ?? 0;
  if (total === 0) return;
  const i = Math.max(0, Math.min(index, total - 1));
  scrollToIndex?.(i);
  const row = cache.rowAt(i);
  if (row) select(row.id, i);
  else {
    selectWhenLoaded = i;
    void pump();
  }
}

/** j / k: the next or previous row from the selected one (the first when none is). */
export function moveSelection(delta: 1 | -1): void {
  const { cache, selectedId, selectedIndex } = appStore.getState();
  const found = selectedId === null ? -1 : cache.indexOf(selectedId);
  const from = found >= 0 ? found : selectedIndex;
  selectIndex(from < 0 ? 0 : from + delta);
}

/** A click on a row. */
export function selectRow(id: string, index: number): void {
  select(id, index);
}

/** Opens a ticket found elsewhere (the palette, a held reply), selecting its row if loaded. */
export function jumpToTicket(id: string): void {
  const index = appStore.getState().cache.indexOf(id);
  if (index >= 0) scrollToIndex?.(index);
  select(id, index);
}

/** Signed out: drops answers still on their way. */
export function resetList(): void {
  generation++;
  selectWhenLoaded = null;
  visible = [0, 0];
}

/** Opens the ticket of the oldest held reply (the status bar's button, `h`), from anywhere. */
export const openNextHeld = () => openFound(nextHeldTicket());

/** Opens the ticket of the oldest change that needs attention (the status bar's button, `A`). */
export const openNextAttention = () => openFound(nextAttentionTicket());

async function openFound(found: Promise<string | null>): Promise<void> {
  const id = await found;
  if (!id) return;
  closeSettings();
  jumpToTicket(id);
}
