import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError } from '../../../../src-shared/storage/migrations';
import { REPLICA_MIGRATIONS, migrateReplica } from '../../../../src-main/core/replica/migrations';
import {
  openReplica,
  replicaFileName,
  type ReplicaIdentity,
} from '../../../../src-main/core/replica/replica';

/**
 * The replica's forward-only migrations on real SQLite files: a fresh file, a second run, a file
 * newer than the code, a file at every earlier version (with pending work in it) brought to the
 * newest without losing a row, and the query plans of the hot lookups.
 */

const NEWEST = REPLICA_MIGRATIONS.at(-1)!.version;
const TABLES = [
  'base',
  'drafts',
  'fetched_tickets',
  'held_replies',
  'meta',
  'needs_attention',
  'outbox',
  'overlay',
  'saved_views',
  'thread_fetches',
  'ticket_fts',
  'ticket_tags',
  'tickets',
];

const identity: ReplicaIdentity = {
  serverUrl: 'https://helpdesk.example',
  tenantId: '10000000-0000-4000-8000-000000000001',
  tenantSlug: 'acme',
  userId: '10000000-0000-4000-8000-0000000000a1',
  role: 'agent',
};
const TICKET = '10000000-0000-4000-8000-0000000000b1';
const COMMENT = '10000000-0000-4000-8000-0000000000c1';
const CONTACT = '10000000-0000-4000-8000-0000000000d1';
const T0 = '2026-01-01T00:00:00.000Z';

const dirs: string[] = [];
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file where openReplica will look for the test identity's replica. */
function replicaFile(): { dir: string; file: string; db: Database } {
  const dir = mkdtempSync(join(tmpdir(), 'replica-migrations-'));
  dirs.push(dir);
  const file = join(dir, replicaFileName(identity));
  const db = new BetterSqlite3(file);
  open.push(db);
  return { dir, file, db };
}

const version = (db: Database) => db.pragma('user_version', { simple: true }) as number;
const tables = (db: Database) =>
  (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ticket_fts_%' ORDER BY name",
      )
      .all() as Array<{ name: string }>
  ).map((r) => r.name);
const schema = (db: Database) =>
  db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();

/** Runs the migrations up to and including version `v` (0: none, an empty file). */
function migrateTo(db: Database, v: number): void {
  migrateReplica(
    db,
    REPLICA_MIGRATIONS.filter((m) => m.version <= v),
  );
  expect(version(db)).toBe(v);
}

const ticketData = {
  id: TICKET,
  number: 7,
  subject: 'Printer on fire',
  description: 'It is on fire.',
  status: 'open',
  priority: 'normal',
  type: 'incident',
  requesterId: CONTACT,
  assigneeId: null,
  tags: ['hardware'],
  createdBy: null,
  createdAt: T0,
  updatedAt: T0,
};

/**
 * Representative rows for a database at each schema version: what the sync state, the base, the
 * pending work and the projection hold. A version with a new shape adds its own seed here.
 */
const SEEDS: Record<number, (db: Database) => void> = {
  10: (db) => {
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('clientId', '30000000-0000-4000-8000-000000000001');
    meta.run('cursor', '1042');
    meta.run('epoch', 'epoch-1');
    meta.run('nextMutationId', '4');
    meta.run('generation', '1');
    meta.run('snapshot', '0');
    const base = db.prepare(
      'INSERT INTO base (entity, id, data, parent_id, generation) VALUES (?, ?, ?, ?, 1)',
    );
    base.run('ticket', TICKET, JSON.stringify(ticketData), null);
    base.run(
      'comment',
      COMMENT,
      JSON.stringify({
        id: COMMENT,
        ticketId: TICKET,
        authorId: null,
        body: 'Smoke everywhere',
        public: true,
        createdAt: T0,
      }),
      TICKET,
    );
    base.run(
      'contact',
      CONTACT,
      JSON.stringify({
        id: CONTACT,
        name: 'Wile Coyote',
        email: null,
        phone: null,
        createdAt: T0,
        updatedAt: T0,
      }),
      null,
    );
    const pending = { ...ticketData, status: 'pending', updatedAt: '2026-01-02T00:00:00.000Z' };
    db.prepare('INSERT INTO overlay (entity, id, data, parent_id) VALUES (?, ?, ?, NULL)').run(
      'ticket',
      TICKET,
      JSON.stringify(pending),
    );
    const outbox = db.prepare(
      `INSERT INTO outbox (id, name, args, base, created_at, sent_at, result, inverse, undone)
       VALUES (?, ?, ?, ?, '2026-01-02T00:00:00.000Z', ?, ?, ?, 0)`,
    );
    outbox.run(
      1,
      'addTags',
      JSON.stringify({ ticketId: TICKET, tags: ['smoke'] }),
      null,
      '2026-01-02T00:00:00.000Z',
      JSON.stringify({ id: 1, status: 'rejected', error: { code: 'forbidden', message: 'no' } }),
      null,
    );
    outbox.run(2, 'noop', '{}', null, null, null, null);
    outbox.run(
      3,
      'setTicketFields',
      JSON.stringify({ ticketId: TICKET, fields: { status: 'pending' } }),
      JSON.stringify({ status: 'open' }),
      null,
      null,
      JSON.stringify({
        name: 'setTicketFields',
        args: { ticketId: TICKET, fields: { status: 'open' } },
      }),
    );
    db.prepare(
      `INSERT INTO needs_attention (mutation_id, name, args, kind, details, entity, entity_id, created_at)
       VALUES (1, 'addTags', ?, 'rejected', ?, 'ticket', ?, '2026-01-02T00:00:00.000Z')`,
    ).run(
      JSON.stringify({ ticketId: TICKET, tags: ['smoke'] }),
      JSON.stringify({ error: { code: 'forbidden', message: 'no' } }),
      TICKET,
    );
    const { rowid } = db
      .prepare(
        `INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type, requester_id, assignee_id, created_at, updated_at, pending)
         VALUES (?, 7, 'Printer on fire', 'pending', 'normal', 1, 'incident', ?, NULL, ?, ?, 1) RETURNING rowid`,
      )
      .get(TICKET, CONTACT, T0, pending.updatedAt) as { rowid: number };
    db.prepare('INSERT INTO ticket_tags (tag, ticket_rowid) VALUES (?, ?)').run('hardware', rowid);
    db.prepare(
      'INSERT INTO ticket_fts (rowid, subject, description, comments, requester) VALUES (?, ?, ?, ?, ?)',
    ).run(rowid, 'Printer on fire', 'It is on fire.', 'Smoke everywhere', 'Wile Coyote ');
  },
  20: (db) => {
    SEEDS[10]!(db);
    const reply = {
      id: COMMENT.replace('c1', 'c2'),
      ticketId: TICKET,
      body: 'On it',
      public: true,
    };
    db.prepare(
      `INSERT INTO held_replies (ticket_id, held_at, seen, changes, mutations)
       VALUES (?, '2026-01-03T00:00:00.000Z', ?, ?, ?)`,
    ).run(
      TICKET,
      JSON.stringify({ status: 'open', assigneeId: null }),
      JSON.stringify({
        newComments: 1,
        firstLine: 'Any news?',
        fromCustomer: true,
        status: null,
        assignee: null,
      }),
      JSON.stringify([{ name: 'addComment', args: reply, createdAt: '2026-01-02T00:00:00.000Z' }]),
    );
    db.prepare(
      "INSERT INTO drafts (ticket_id, body, public, updated_at) VALUES (?, 'Half a reply', 1, ?)",
    ).run(TICKET, T0);
    db.prepare(
      "INSERT INTO saved_views (id, name, query, created_at) VALUES (?, 'Urgent', ?, ?)",
    ).run(CONTACT.replace('d1', 'e1'), JSON.stringify({ filters: { priority: ['urgent'] } }), T0);
  },
};

/** The seed for a version: the newest one written for it or an earlier version (0: none). */
function seedFor(v: number): ((db: Database) => void) | null {
  const known = Object.keys(SEEDS)
    .map(Number)
    .filter((k) => k <= v)
    .sort((a, b) => b - a);
  return known.length ? SEEDS[known[0]!]! : null;
}

/** Every row of every table (FTS shadow tables aside), keyed by table. */
function dump(db: Database): Record<string, Array<Record<string, unknown>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const table of tables(db)) {
    const order = table === 'ticket_fts' ? 'rowid' : '1';
    out[table] = db
      .prepare(
        `SELECT ${table === 'ticket_fts' ? 'rowid, *' : '*'} FROM "${table}" ORDER BY ${order}`,
      )
      .all() as Array<Record<string, unknown>>;
  }
  return out;
}

describe('migrateReplica', () => {
  it('brings a fresh file to the newest version with every table', () => {
    const { db } = replicaFile();
    expect(migrateReplica(db)).toBe(NEWEST);
    expect(NEWEST).toBe(60);
    expect(version(db)).toBe(60);
    expect(tables(db)).toEqual(TABLES);
    expect(REPLICA_MIGRATIONS.map((m) => m.version)).toEqual(
      [...REPLICA_MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b),
    );
  });

  it('does nothing when run again', () => {
    const { db } = replicaFile();
    migrateReplica(db);
    SEEDS[10]!(db);
    const before = { schema: schema(db), rows: dump(db) };
    expect(migrateReplica(db)).toBe(NEWEST);
    expect({ schema: schema(db), rows: dump(db) }).toEqual(before);
  });

  it('refuses a file newer than the code, and openReplica leaves it alone', () => {
    const { dir, db } = replicaFile();
    db.exec('CREATE TABLE future (x)');
    db.pragma(`user_version = ${NEWEST + 10}`);
    expect(() => migrateReplica(db)).toThrow(DatabaseTooNewError);
    db.close();
    expect(() => openReplica(dir, identity)).toThrow(DatabaseTooNewError);
    const again = new BetterSqlite3(join(dir, replicaFileName(identity)));
    open.push(again);
    expect(version(again)).toBe(NEWEST + 10);
    expect(tables(again)).toEqual(['future']);
  });

  it('rolls back a failing migration: the file stays at the version before', () => {
    const { db } = replicaFile();
    migrateReplica(db);
    SEEDS[10]!(db);
    const before = { schema: schema(db), rows: dump(db) };
    const broken = {
      version: NEWEST + 10,
      name: 'broken',
      up: (d: Database) => {
        d.exec('ALTER TABLE outbox ADD COLUMN priority INTEGER; DELETE FROM outbox;');
        throw new Error('boom');
      },
    };
    expect(() => migrateReplica(db, [...REPLICA_MIGRATIONS, broken])).toThrow('boom');
    expect(version(db)).toBe(NEWEST);
    expect({ schema: schema(db), rows: dump(db) }).toEqual(before);
  });

  const earlier = [0, ...REPLICA_MIGRATIONS.map((m) => m.version)];
  it.each(earlier)(
    'migrates a file at version %i, with pending work, to the newest without losing anything',
    (v) => {
      const { dir, file, db } = replicaFile();
      migrateTo(db, v);
      const seed = seedFor(v);
      seed?.(db);
      const before = dump(db);
      if (seed) expect(before['outbox']!.length).toBeGreaterThan(0);
      db.close();

      const replica = openReplica(dir, identity);
      try {
        expect(replica.file).toBe(file);
        expect(version(replica.db)).toBe(NEWEST);
        expect(tables(replica.db)).toEqual(TABLES);
        const after = dump(replica.db);
        // Every row there was is still there, with the values of the columns it had.
        for (const [table, rows] of Object.entries(before)) {
          const kept = after[table] ?? [];
          for (const row of rows) {
            const match = kept.find((k) =>
              Object.entries(row).every(([col, value]) => k[col] === value),
            );
            expect(match, `${table} ${JSON.stringify(row)}`).toBeDefined();
          }
        }
        if (seed) {
          // And the replica works on it: pending work, the view and the attention list.
          expect(replica.clientId).toBe('30000000-0000-4000-8000-000000000001');
          expect(replica.cursor).toBe('1042');
          expect(replica.pushBatch().map((m) => [m.id, m.name])).toEqual([
            [2, 'noop'],
            [3, 'setTicketFields'],
          ]);
          expect(replica.reader().get('ticket', TICKET)?.status).toBe('pending');
          expect(replica.needsAttention()).toHaveLength(1);
          expect(replica.counts()).toEqual({ pending: 1, needsAttention: 1 });
          expect(replica.held.list().map((h) => h.body)).toEqual(v >= 20 ? ['On it'] : []);
          expect(replica.mutate('noop', {}, T0).mutationId).toBe(4);
          expect(replica.undoLast(T0)).toEqual({ undone: 3, by: 'noop' });
        } else {
          expect(replica.cursor).toBe('0');
          expect(replica.pushBatch()).toEqual([]);
          expect(replica.mutate('noop', {}, T0).mutationId).toBe(1);
        }
      } finally {
        replica.close();
      }
    },
  );
});

describe('query plans of the hot lookups', () => {
  function plan(db: Database, sql: string): string {
    const params = Array.from(sql.matchAll(/\?/g), () => 'x');
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
      detail: string;
    }>;
    return rows.map((r) => r.detail).join('\n');
  }

  function migrated(): Database {
    const { db } = replicaFile();
    migrateReplica(db);
    return db;
  }

  it('looks base and overlay rows up by (entity, id) through their keys', () => {
    const db = migrated();
    expect(plan(db, 'SELECT data FROM base WHERE entity = ? AND id = ?')).toMatch(
      /SEARCH base USING INDEX base_key \(entity=\? AND id=\?\)/,
    );
    expect(plan(db, 'SELECT data FROM overlay WHERE entity = ? AND id = ?')).toMatch(
      /SEARCH overlay USING PRIMARY KEY \(entity=\? AND id=\?\)/,
    );
  });

  it('finds children by parent through the parent indexes', () => {
    const db = migrated();
    const cascade = plan(
      db,
      'SELECT id FROM base INDEXED BY base_by_parent WHERE parent_id = ? AND entity = ? UNION SELECT id FROM overlay WHERE parent_id = ? AND entity = ?',
    );
    expect(cascade).toMatch(
      /base USING (COVERING )?INDEX base_by_parent \(parent_id=\? AND entity=\?\)/,
    );
    expect(cascade).toMatch(
      /overlay USING (COVERING )?INDEX overlay_by_parent \(parent_id=\? AND entity=\?\)/,
    );
  });

  it("the projection's own child query (comments, attachments) uses the parent indexes, not a scan", () => {
    const { dir } = replicaFile();
    const replica = openReplica(dir, identity);
    try {
      const statements = (
        replica.projection as unknown as { statements: Record<string, Statement> }
      ).statements;
      const detail = plan(replica.db, statements['children']!.source);
      expect(detail).toMatch(/USING INDEX base_by_parent \(parent_id=\? AND entity=\?\)/);
      expect(detail).toMatch(/USING INDEX overlay_by_parent \(parent_id=\? AND entity=\?\)/);
      expect(detail).not.toMatch(/PRIMARY KEY \(entity=\?\)$/m);
      expect(detail).not.toMatch(/^SCAN/m);
      expect(plan(replica.db, statements['existing']!.source)).toMatch(
        /INDEX sqlite_autoindex_tickets_1 \(id=\?\)/,
      );
      // How many comments base holds for a ticket: from the index alone, no row read.
      expect(plan(replica.db, statements['commentCount']!.source)).toMatch(
        /USING COVERING INDEX base_by_parent \(parent_id=\? AND entity=\?\)/,
      );
      expect(plan(replica.db, statements['tagsOf']!.source)).toMatch(
        /INDEX ticket_tags_by_ticket \(ticket_rowid=\?\)/,
      );
      expect(plan(replica.db, statements['byRequester']!.source)).toMatch(
        /INDEX tickets_by_requester \(requester_id=\?\)/,
      );
    } finally {
      replica.close();
    }
  });

  it('lists tickets by status, newest first, from tickets_by_status with no sort step', () => {
    const db = migrated();
    const detail = plan(
      db,
      'SELECT id FROM tickets WHERE status = ? ORDER BY updated_at DESC, rowid DESC LIMIT 50',
    );
    expect(detail).toMatch(/SEARCH tickets USING INDEX tickets_by_status \(status=\?\)/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
    const simple = plan(
      db,
      'SELECT id FROM tickets WHERE status = ? ORDER BY updated_at DESC LIMIT 50',
    );
    expect(simple).toMatch(/tickets_by_status/);
    expect(simple).not.toMatch(/TEMP B-TREE/);
  });

  it('finds the tickets of a tag through ticket_tags', () => {
    const db = migrated();
    expect(plan(db, 'SELECT ticket_rowid FROM ticket_tags WHERE tag = ?')).toMatch(
      /SEARCH ticket_tags USING PRIMARY KEY \(tag=\?\)/,
    );
    expect(plan(db, 'DELETE FROM ticket_tags WHERE ticket_rowid = ?')).toMatch(
      /ticket_tags_by_ticket \(ticket_rowid=\?\)/,
    );
  });
});
