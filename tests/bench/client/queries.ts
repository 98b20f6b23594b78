import type { Database } from 'better-sqlite3';
import { listTickets, searchTickets } from '../../../src-main/core/replica/ticket-queries';
import type { TicketListQueryInput } from '../../../src-shared/bridge/ticket-query';
import { percentiles, type Percentiles } from '../support/stats';

const PAGE = 100;
const ROUNDS = 20;

/** The lists of the app's views and common filters, each sorted as a person would. */
function lists(db: Database): TicketListQueryInput[] {
  const requester = db.prepare('SELECT requester_id AS id FROM tickets LIMIT 1').get() as
    { id: string } | undefined;
  return [
    {},
    { status: ['open'] },
    { status: ['new', 'open', 'pending'], sort: { field: 'priority', direction: 'desc' } },
    { mine: true },
    { mine: true, status: ['open', 'pending'] },
    { unassigned: true },
    { tag: ['vip'] },
    { tag: ['billing'], status: ['open'] },
    { priority: ['urgent'], sort: { field: 'createdAt', direction: 'asc' } },
    { sort: { field: 'number', direction: 'desc' } },
    { sort: { field: 'status', direction: 'asc' } },
    { needsAttention: true },
    { pending: true },
    ...(requester ? [{ requesterId: requester.id }] : []),
  ];
}

/** What people type in the search box: words, phrases and the field syntax of parseSearch. */
function searches(now: Date): string[] {
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  return [
    'printer',
    'status:open printer jam',
    'tag:vip refund',
    'assignee:me vpn',
    'invoice wrong amount',
    'is:unassigned laptop',
    'müller',
    '"cannot log in"',
    'requester:"grace"',
    'priority:urgent,high status:open,pending',
    `updated:>=${monthAgo} refund`,
    'technician tomorrow',
    'tag:billing,refund',
    'escalated status:pending',
    'wi-fi meeting room',
  ];
}

export interface QueryResult {
  list: Percentiles;
  search: Percentiles;
  listSamples: number;
  searchSamples: number;
}

/**
 * Ticket lists and searches over the full replica, a page of 100 each, and for every second one
 * the next page too (the list being scrolled). The first round prepares the statements and is not
 * counted.
 */
export function measureQueries(db: Database, me: string, now = new Date()): QueryResult {
  const listMs: number[] = [];
  const searchMs: number[] = [];
  const listQueries = lists(db);
  const searchTexts = searches(now);
  for (let round = 0; round <= ROUNDS; round++) {
    const record = (samples: number[], started: number) => {
      if (round > 0) samples.push(performance.now() - started);
    };
    listQueries.forEach((query, i) => {
      let started = performance.now();
      const page = listTickets(db, { ...query, limit: PAGE }, me);
      record(listMs, started);
      if (i % 2 === 1 && page.next) {
        started = performance.now();
        listTickets(db, { ...query, limit: PAGE, after: page.next }, me);
        record(listMs, started);
      }
    });
    for (const text of searchTexts) {
      const started = performance.now();
      const result = searchTickets(db, text, me, { limit: PAGE });
      record(searchMs, started);
      if (!result.ok) throw new Error(`search ${JSON.stringify(text)}: ${result.message}`);
    }
  }
  return {
    list: percentiles(listMs),
    search: percentiles(searchMs),
    listSamples: listMs.length,
    searchSamples: searchMs.length,
  };
}
