import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLICA_MIGRATIONS, migrateReplica } from '../../../../src-main/core/replica/migrations';
import { FILL_CUSTOMER_REPLY_CLOCK } from '../../../../src-main/core/replica/migrations/0020-offline-triage';
import {
  openReplica,
  replicaFileName,
  type Replica,
  type ReplicaIdentity,
} from '../../../../src-main/core/replica/replica';
import { explainTicketQuery } from '../../../../src-main/core/replica/ticket-queries';

/**
 * 0020-offline-triage: the customer-reply clock filled in from the comments a version-10 replica
 * already holds, the new tables, and the plans of the queries that use them.
 */

const identity: ReplicaIdentity = {
  serverUrl: 'https://helpdesk.example',
  tenantId: '10000000-0000-4000-8000-000000000001',
  tenantSlug: 'acme',
  userId: '10000000-0000-4000-8000-0000000000a1',
  role: 'agent',
};
const id = (n: number) => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;

const dirs: string[] = [];
const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileAt(version: number): { dir: string; db: Database } {
  const dir = mkdtempSync(join(tmpdir(), 'replica-0020-'));
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir, replicaFileName(identity)));
  open.push(db);
  migrateReplica(
    db,
    REPLICA_MIGRATIONS.filter((m) => m.version <= version),
  );
  return { dir, db };
}

function projectTicket(db: Database, ticketId: string, createdAt: string): void {
  db.prepare(
    `INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type, requester_id,
       assignee_id, created_at, updated_at, pending)
     VALUES (?, 1, 's', 'open', 'normal', 1, NULL, ?, NULL, ?, ?, 0)`,
  ).run(ticketId, id(0xd1), createdAt, createdAt);
}

function comment(db: Database, table: 'base' | 'overlay', n: number, ticketId: string, c: object) {
  db.prepare(`INSERT INTO ${table} (entity, id, data, parent_id) VALUES ('comment', ?, ?, ?)`).run(
    id(n),
    JSON.stringify({ id: id(n), ticketId, body: 'x', public: true, ...c }),
    ticketId,
  );
}

function plan(db: Database, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
    .map((row) => row.detail)
    .join('\n');
}

describe('0020-offline-triage', () => {
  it('is registered after 0010', () => {
    expect(REPLICA_MIGRATIONS.map((m) => [m.version, m.name])).toContainEqual([
      20,
      'offline-triage',
    ]);
    expect(REPLICA_MIGRATIONS.findIndex((m) => m.version === 20)).toBe(
      REPLICA_MIGRATIONS.findIndex((m) => m.version === 10) + 1,
    );
  });

  it("fills each ticket's last customer reply from its comments, else its creation", () => {
    const { dir, db } = fileAt(10);
    const [replied, silent, shadowed] = [id(0xb1), id(0xb2), id(0xb3)];
    projectTicket(db, replied, at(1));
    projectTicket(db, silent, at(2));
    projectTicket(db, shadowed, at(3));
    comment(db, 'base', 0xc1, replied, { authorId: null, createdAt: at(4) });
    comment(db, 'base', 0xc2, replied, { authorId: null, createdAt: at(6) });
    // An agent's comment, even a later one, is not the customer's.
    comment(db, 'base', 0xc3, replied, { authorId: identity.userId, createdAt: at(9) });
    comment(db, 'base', 0xc4, silent, { authorId: identity.userId, createdAt: at(5) });
    // Deleted locally (the overlay hides it): it no longer counts.
    comment(db, 'base', 0xc5, shadowed, { authorId: null, createdAt: at(8) });
    db.prepare(
      "INSERT INTO overlay (entity, id, data, parent_id) VALUES ('comment', ?, NULL, ?)",
    ).run(id(0xc5), shadowed);
    db.close();

    const replica = openReplica(dir, identity);
    open.push(replica);
    const clock = (ticketId: string) =>
      replica.db
        .prepare('SELECT last_customer_reply_at AS t FROM tickets WHERE id = ?')
        .pluck()
        .get(ticketId);
    expect(clock(replied)).toBe(at(6));
    expect(clock(silent)).toBe(at(2));
    expect(clock(shadowed)).toBe(at(3));
    for (const table of ['held_replies', 'drafts', 'saved_views']) {
      expect(replica.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });

  describe('query plans', () => {
    function fresh(): Replica {
      const { dir, db } = fileAt(0);
      db.close();
      const replica = openReplica(dir, identity);
      open.push(replica);
      return replica;
    }
    const statements = (replica: Replica) =>
      (replica.held as unknown as { statements: Record<string, Statement> }).statements;

    it('sorts by the customer-reply clock from its index', () => {
      const replica = fresh();
      const { page } = explainTicketQuery(
        replica.db,
        { sort: { field: 'lastCustomerReplyAt', direction: 'asc' }, status: ['open'] },
        identity.userId,
        { strategy: 'ordered' },
      );
      expect(page.join('\n')).toMatch(/SCAN t USING INDEX tickets_by_customer_reply/);
    });

    it("fills the clock from each ticket's own comments, through base_by_parent", () => {
      // Read through the primary key (every comment once per ticket), a 20,000-ticket replica took
      // minutes to open after an upgrade.
      const { db } = fileAt(10);
      db.exec("ALTER TABLE tickets ADD COLUMN last_customer_reply_at TEXT NOT NULL DEFAULT ''");
      expect(plan(db, FILL_CUSTOMER_REPLY_CLOCK)).toMatch(
        /SEARCH b USING INDEX base_by_parent \(parent_id=\? AND entity=\?\)/,
      );
    });

    it('finds a queued reply, and the held replies of a ticket, without scanning', () => {
      const replica = fresh();
      const s = statements(replica);
      expect(plan(replica.db, s['guarding']!.source)).toMatch(
        /USING .*INDEX outbox_unsent_replies/,
      );
      expect(plan(replica.db, s['guardedOf']!.source, 'x')).toMatch(
        /USING .*INDEX outbox_unsent_replies/,
      );
      expect(plan(replica.db, s['heldOf']!.source, 'x')).toMatch(
        /SEARCH held_replies USING INDEX held_replies_by_ticket \(ticket_id=\?\)/,
      );
    });

    it('checks a view name in any case through its unique index', () => {
      const replica = fresh();
      expect(
        plan(
          replica.db,
          'SELECT 1 FROM saved_views WHERE name = ? COLLATE NOCASE AND id <> ?',
          'Urgent',
          'x',
        ),
      ).toMatch(/USING COVERING INDEX saved_views_by_name \(name=\?\)/);
    });

    it('counts a typical saved view from an index', () => {
      const replica = fresh();
      const { count } = explainTicketQuery(
        replica.db,
        { status: ['open', 'pending'], mine: true },
        identity.userId,
      );
      expect(count.join('\n')).toMatch(/SEARCH t USING (COVERING )?INDEX tickets_by_/);
    });
  });
});
