import type { TicketPage, TicketSummary } from '../../src-shared/bridge/ticket-query';

/** The page to fetch next: its number and the cursor it starts after (none for the first). */
export interface PageRequest {
  page: number;
  after: string | undefined;
}

interface CachedPage {
  rows: TicketSummary[];
  /** The replica changed since it was fetched: shown until fetched again. */
  stale: boolean;
}

/**
 * The rows of a keyset-paged list, by index, for a virtual list over any number of tickets.
 *
 * Page `p` holds rows `p * pageSize` onwards. Only the page before it knows its cursor, so reaching
 * a deep page walks the pages before it once; the cursors are kept (small), and at most `maxPages`
 * pages of rows, the ones nearest to what is on screen.
 */
export class PageCache {
  /** The cursor page `p` starts after: null for page 0, undefined while unknown. */
  private readonly cursors: Array<string | null | undefined> = [null];
  private readonly pages = new Map<number, CachedPage>();
  /** The last page, once a page answered without a next cursor. */
  private lastPage: number | null = null;
  private focus: [number, number] = [0, 0];
  total: number | null = null;

  constructor(
    readonly pageSize: number,
    readonly maxPages: number,
  ) {}

  rowAt(index: number): TicketSummary | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.rows[index % this.pageSize];
  }

  /** The index of a loaded row, or -1. */
  indexOf(id: string): number {
    for (const [page, { rows }] of this.pages) {
      const i = rows.findIndex((row) => row.id === id);
      if (i >= 0) return page * this.pageSize + i;
    }
    return -1;
  }

  get loadedPages(): number {
    return this.pages.size;
  }

  /** The next fetch that brings rows `first..last` closer to loaded, or null when they are. */
  nextRequest(first: number, last: number): PageRequest | null {
    // Until the first answer says how many rows there are, only page 0 is asked for.
    const lastRow = this.total === null ? 0 : Math.max(0, Math.min(last, this.total - 1));
    const from = Math.floor(Math.max(0, Math.min(first, lastRow)) / this.pageSize);
    const to = Math.floor(lastRow / this.pageSize);
    this.focus = [from, to];
    for (let page = from; page <= to; page++) {
      if (this.lastPage !== null && page > this.lastPage) break;
      const cached = this.pages.get(page);
      if (cached && !cached.stale) continue;
      return this.requestFor(page);
    }
    return null;
  }

  /** Page `page` if its cursor is known, else the nearest page before it that leads there. */
  private requestFor(page: number): PageRequest {
    let known = page;
    while (this.cursors[known] === undefined) known--;
    return { page: known, after: this.cursors[known] ?? undefined };
  }

  store(page: number, result: TicketPage): void {
    this.total = result.total;
    this.pages.delete(page);
    this.pages.set(page, { rows: result.tickets, stale: false });
    this.cursors[page + 1] = result.next ?? undefined;
    if (result.next === null) {
      this.lastPage = page;
      this.cursors.length = page + 2;
      for (const p of this.pages.keys()) if (p > page) this.pages.delete(p);
    } else if (this.lastPage !== null && this.lastPage <= page) {
      this.lastPage = null;
    }
    this.evict();
  }

  /** The replica changed: every page is fetched again when next on screen; the rest are let go. */
  invalidate(): void {
    const [from, to] = this.focus;
    for (const [page, cached] of this.pages) {
      if (page < from || page > to) this.pages.delete(page);
      else cached.stale = true;
    }
    this.lastPage = null;
  }

  private evict(): void {
    if (this.pages.size <= this.maxPages) return;
    const [from, to] = this.focus;
    const distance = (p: number) => (p < from ? from - p : p > to ? p - to : 0);
    const farthest = [...this.pages.keys()].sort((a, b) => distance(b) - distance(a));
    for (const page of farthest) {
      if (this.pages.size <= this.maxPages || distance(page) === 0) break;
      this.pages.delete(page);
    }
  }
}
