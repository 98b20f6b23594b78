import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { explainTicketQuery, listTickets } from '../../../../src-main/core/replica/ticket-queries';
import {
  IDS,
  agentIdentity,
  contact,
  newId,
  removeTempDirs,
  seededReplica,
  tenantChanges,
  ticket,
  type Pages,
} from './replica-fixtures';

/**
 * The query indexes of an empty replica's first snapshot are built once at its end
 * (src-main/core/replica/deferred-indexes.ts): gone while it runs, back exactly as they were in
 * the transaction that ends it, across a restart, and never touched in a replica in use.
 */

afterEach(removeTempDirs);

const indexes = (db: Database) =>
  db
    .prepare(
      `SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
         AND tbl_name IN ('tickets', 'ticket_tags') ORDER BY name`,
    )
    .pluck()
    .all() as string[];

/** A page of `count` tickets, each tagged `vip`, for one requester. */
function ticketsPage(pages: Pages, count: number, hasMore: boolean) {
  const changes = Array.from({ length: count }, (_, i) =>
    pages.upsert(
      'ticket',
      ticket({ id: newId(), number: 100 + pages.lastMutationId++ + i, tags: ['vip'] }),
    ),
  );
  return pages.page(changes, { hasMore });
}

describe('query indexes of a first snapshot', () => {
  it('are dropped while it runs and built again in the transaction that ends it', () => {
    const { replica, pages } = seededReplica(agentIdentity, false);
    const all = indexes(replica.db);
    expect(all.length).toBeGreaterThanOrEqual(10);
    replica.beginSnapshot();
    expect(indexes(replica.db)).toEqual([]);
    replica.applyPullPage(pages.page(tenantChanges(pages), { hasMore: true }));
    replica.applyPullPage(ticketsPage(pages, 5, true));
    // Lists answer while the indexes are away, by scanning.
    const mid = listTickets(replica.db, { tag: ['vip'], status: ['open'] }, IDS.agent);
    expect(mid.total).toBe(5);
    replica.applyPullPage(ticketsPage(pages, 3, false));
    expect(indexes(replica.db)).toEqual(all);
    expect(replica.meta('deferredIndexes')).toBeNull();
    expect(listTickets(replica.db, { tag: ['vip'], status: ['open'] }, IDS.agent).total).toBe(8);
    const { page } = explainTicketQuery(replica.db, { status: ['open'] }, IDS.agent);
    expect(page.join('\n')).toMatch(/USING INDEX tickets_by_status/);
  });

  it('stay away across a restart, and come back when the snapshot ends', () => {
    const t = seededReplica(agentIdentity, false);
    const all = indexes(t.replica.db);
    t.replica.beginSnapshot();
    t.replica.applyPullPage(t.pages.page(tenantChanges(t.pages), { hasMore: true }));
    t.reopen();
    expect(indexes(t.replica.db)).toEqual([]);
    // A snapshot started again over the tickets delivered so far keeps what it deferred.
    t.replica.beginSnapshot();
    t.replica.applyPullPage(t.pages.page(tenantChanges(t.pages)));
    expect(indexes(t.replica.db)).toEqual(all);
  });

  it('are left alone in a snapshot of a replica that holds tickets', () => {
    const { replica, pages } = seededReplica();
    const all = indexes(replica.db);
    replica.beginSnapshot();
    expect(indexes(replica.db)).toEqual(all);
    replica.applyPullPage(
      pages.page([...tenantChanges(pages), pages.upsert('contact', contact({ name: 'Ann' }))]),
    );
    expect(indexes(replica.db)).toEqual(all);
    expect(replica.db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBeGreaterThan(0);
  });
});
