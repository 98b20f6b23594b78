import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLICA_MIGRATIONS, migrateReplica } from '../../../../src-main/core/replica/migrations';
import {
  openReplica,
  replicaFileName,
  type Replica,
  type ReplicaIdentity,
} from '../../../../src-main/core/replica/replica';
import { explainTicketQuery, listTickets } from '../../../../src-main/core/replica/ticket-queries';
import type { TicketListQueryInput } from '../../../../src-shared/bridge/ticket-query';

/**
 * 0030-query-indexes: a version-20 file gains the status × priority index without losing a row,
 * and counts filtering both status and priority are read from it alone.
 */

const identity: ReplicaIdentity = {
  serverUrl: 'https://helpdesk.example',
  tenantId: '10000000-0000-4000-8000-000000000001',
  tenantSlug: 'acme',
  userId: '10000000-0000-4000-8000-0000000000a1',
  role: 'agent',
};
const id = (n: number) => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const T0 = '2026-01-01T00:00:00.000Z';

const dirs: string[] = [];
const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A replica at version 20 with projected tickets, then opened (and so migrated) as the app does. */
function migratedFrom20(tickets: Array<[status: string, priorityRank: number]>): Replica {
  const dir = mkdtempSync(join(tmpdir(), 'replica-0030-'));
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir, replicaFileName(identity)));
  migrateReplica(
    db,
    REPLICA_MIGRATIONS.filter((m) => m.version <= 20),
  );
  const insert = db.prepare(
    `INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type, requester_id,
       assignee_id, created_at, updated_at, pending, last_customer_reply_at)
     VALUES (?, ?, 's', ?, 'normal', ?, NULL, ?, NULL, ?, ?, 0, ?)`,
  );
  tickets.forEach(([status, rank], i) =>
    insert.run(id(0xb00 + i), i + 1, status, rank, id(0xd1), T0, T0, T0),
  );
  db.close();
  const replica = openReplica(dir, identity);
  open.push(replica);
  return replica;
}

describe('0030-query-indexes', () => {
  it('is registered after 0020', () => {
    const versions = REPLICA_MIGRATIONS.map((m) => m.version);
    expect(REPLICA_MIGRATIONS.find((m) => m.version === 30)?.name).toBe('query-indexes');
    expect(versions.indexOf(30)).toBe(versions.indexOf(20) + 1);
  });

  it('keeps every ticket and indexes it by status and priority', () => {
    const replica = migratedFrom20([
      ['open', 0],
      ['open', 3],
      ['pending', 0],
      ['solved', 0],
    ]);
    expect(replica.db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(4);
    const columns = replica.db
      .prepare("SELECT name FROM pragma_index_info('tickets_by_status_priority')")
      .pluck()
      .all();
    expect(columns).toEqual(['status', 'priority_rank']);
    // TICKET_PRIORITIES puts low first: rank 0.
    const q: TicketListQueryInput = { status: ['open', 'pending'], priority: ['low'] };
    expect(listTickets(replica.db, q, identity.userId).total).toBe(2);
  });

  it('counts a status and priority filter from the index alone', () => {
    const replica = migratedFrom20([]);
    const { count } = explainTicketQuery(
      replica.db,
      { status: ['open', 'pending'], priority: ['urgent', 'high'] },
      identity.userId,
    );
    expect(count.join('\n')).toMatch(/USING COVERING INDEX tickets_by_status_priority/);
  });
});
