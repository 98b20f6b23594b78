import { describe, expect, it } from 'vitest';
import type { TicketPage, TicketSummary } from '../../../../src-shared/bridge/ticket-query';
import { PageCache, type PageRequest } from '../../../../src-renderer/lib/page-cache';

/** A list of `total` tickets served by keyset pages (the cursor is the last row's index). */
function server(total: number) {
  const row = (i: number): TicketSummary => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    number: i + 1,
    subject: `Ticket ${i}`,
    status: 'open',
    priority: 'normal',
    type: null,
    requesterId: '00000000-0000-4000-8000-000000000000',
    requesterName: 'Ann',
    assigneeId: null,
    tags: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    lastCustomerReplyAt: '2026-01-01T00:00:00.000Z',
    pending: false,
    needsAttention: false,
  });
  const requests: PageRequest[] = [];
  return {
    requests,
    total,
    fetch(request: PageRequest, limit: number): TicketPage {
      requests.push(request);
      const start = request.after === undefined ? 0 : Number(request.after) + 1;
      const end = Math.min(start + limit, this.total);
      const tickets = [];
      for (let i = start; i < end; i++) tickets.push(row(i));
      return { tickets, total: this.total, next: end < this.total ? String(end - 1) : null };
    },
  };
}

/** Fetches until rows first..last are loaded; answers how many fetches it took. */
function load(cache: PageCache, api: ReturnType<typeof server>, first: number, last: number) {
  let fetches = 0;
  for (let request = cache.nextRequest(first, last); request;) {
    cache.store(request.page, api.fetch(request, cache.pageSize));
    fetches++;
    if (fetches > 10_000) throw new Error('does not converge');
    request = cache.nextRequest(first, last);
  }
  return fetches;
}

describe('PageCache', () => {
  it('asks for the first page until it knows the total, then the pages on screen', () => {
    const cache = new PageCache(100, 5);
    const api = server(1000);
    expect(cache.nextRequest(0, 30)).toEqual({ page: 0, after: undefined });
    expect(load(cache, api, 0, 30)).toBe(1);
    expect(cache.total).toBe(1000);
    expect(cache.rowAt(30)?.subject).toBe('Ticket 30');
    expect(cache.rowAt(100)).toBeUndefined();
    expect(load(cache, api, 90, 130)).toBe(1);
    expect(cache.rowAt(130)?.subject).toBe('Ticket 130');
  });

  it('walks to a deep page through the cursors once, then goes straight back to it', () => {
    const cache = new PageCache(100, 3);
    const api = server(100_000);
    load(cache, api, 0, 20);
    expect(load(cache, api, 50_000, 50_020)).toBe(500);
    expect(cache.rowAt(50_010)?.subject).toBe('Ticket 50010');
    // Memory stays bounded however far it walked.
    expect(cache.loadedPages).toBeLessThanOrEqual(3);
    load(cache, api, 0, 20);
    api.requests.length = 0;
    // The deep page's rows were let go, but its cursor is kept: one fetch brings them back.
    expect(cache.rowAt(50_010)).toBeUndefined();
    expect(load(cache, api, 50_000, 50_020)).toBe(1);
    expect(api.requests[0]).toEqual({ page: 500, after: '49999' });
  });

  it('never asks past the last page', () => {
    const cache = new PageCache(100, 5);
    const api = server(250);
    load(cache, api, 0, 10);
    expect(load(cache, api, 200, 400)).toBe(2);
    expect(cache.rowAt(249)?.subject).toBe('Ticket 249');
    expect(cache.nextRequest(200, 400)).toBeNull();
  });

  it('handles an empty list with one request', () => {
    const cache = new PageCache(100, 5);
    expect(load(cache, server(0), 0, 20)).toBe(1);
    expect(cache.total).toBe(0);
    expect(cache.nextRequest(0, 20)).toBeNull();
  });

  it('after a change, fetches the pages on screen again and keeps showing them meanwhile', () => {
    const cache = new PageCache(100, 5);
    const api = server(1000);
    load(cache, api, 0, 10);
    load(cache, api, 150, 250);
    cache.invalidate();
    // Still shown until fetched again; page 0 was off screen and is let go.
    expect(cache.rowAt(160)?.subject).toBe('Ticket 160');
    expect(cache.rowAt(5)).toBeUndefined();
    api.total = 180;
    api.requests.length = 0;
    load(cache, api, 150, 250);
    expect(api.requests.map((r) => r.page)).toEqual([1]);
    expect(cache.total).toBe(180);
    expect(cache.rowAt(170)?.subject).toBe('Ticket 170');
    expect(cache.rowAt(200)).toBeUndefined();
  });

  it('finds a loaded row by id', () => {
    const cache = new PageCache(100, 5);
    const api = server(300);
    load(cache, api, 100, 120);
    const row = cache.rowAt(117)!;
    expect(cache.indexOf(row.id)).toBe(117);
    expect(cache.indexOf('missing')).toBe(-1);
  });
});
