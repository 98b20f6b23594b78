import BetterSqlite3 from 'better-sqlite3';
import { REPLICA_MIGRATIONS, migrateReplica } from '../../../../src-main/core/replica/migrations';
import { agentIdentity, comment, contact, ticket } from './replica-fixtures';

/**
 * Replica files at older schema versions, as clients of those versions left them, for the tests of
 * what later migrations do to such files (killed or not, with pending mutations or not).
 */

/**
 * A replica file at schema version 10 after a snapshot and some offline work: base rows, the
 * ticket projection of that version, and pending comments in the outbox with their effect in the
 * overlay.
 */
export function writeVersion10Replica(file: string, tickets: number, pending: number): void {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  migrateReplica(
    db,
    REPLICA_MIGRATIONS.filter((m) => m.version <= 10),
  );
  const id = (kind: number, n: number) =>
    `${kind}0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  db.transaction(() => {
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (const [key, value] of Object.entries({
      clientId: '40000000-0000-4000-8000-000000000001',
      cursor: 'p0.s1',
      epoch: 'old-epoch',
      generation: '1',
      snapshot: '0',
      nextMutationId: String(pending + 1),
      identity: JSON.stringify(agentIdentity),
    })) {
      meta.run(key, value);
    }
    const base = db.prepare(
      'INSERT INTO base (entity, id, data, parent_id, generation) VALUES (?, ?, ?, ?, 1)',
    );
    const project = db.prepare(
      `INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type,
         requester_id, assignee_id, created_at, updated_at, pending)
       VALUES (?, ?, ?, 'open', 'normal', 1, NULL, ?, NULL, ?, ?, ?)`,
    );
    base.run('contact', contact().id, JSON.stringify(contact()), null);
    for (let n = 1; n <= tickets; n++) {
      const row = ticket({ id: id(5, n), number: n, subject: `old ${n}`, createdAt: at(n) });
      base.run('ticket', row.id, JSON.stringify(row), null);
      project.run(row.id, n, row.subject, row.requesterId, row.createdAt, row.updatedAt, 0);
      // The requester's message and an agent's answer.
      for (const [k, authorId] of [
        [1, null],
        [2, agentIdentity.userId],
      ] as const) {
        const c = comment({
          id: id(6, n * 2 + k),
          ticketId: row.id,
          authorId,
          createdAt: at(n + k),
        });
        base.run('comment', c.id, JSON.stringify(c), row.id);
      }
    }
    const outbox = db.prepare(
      'INSERT INTO outbox (id, name, args, base, created_at) VALUES (?, ?, ?, NULL, ?)',
    );
    const overlay = db.prepare(
      "INSERT INTO overlay (entity, id, data, parent_id) VALUES ('comment', ?, ?, ?)",
    );
    for (let m = 1; m <= pending; m++) {
      const ticketId = id(5, 1 + (m % tickets));
      const c = comment({
        id: id(7, m),
        ticketId,
        body: `pending ${m}`,
        public: false,
        createdAt: at(m),
      });
      const args = { id: c.id, ticketId, body: c.body, public: false };
      outbox.run(m, 'addComment', JSON.stringify(args), c.createdAt);
      overlay.run(c.id, JSON.stringify(c), ticketId);
      db.prepare('UPDATE tickets SET pending = 1 WHERE id = ?').run(ticketId);
    }
  })();
  db.close();
}

/**
 * Writes `source` (a replica file of this version) as a replica of schema `version`: every table
 * that version has, with the columns it has. The full-text index goes with its own tables, whose
 * layout has not changed since version 10.
 */
export function copyToVersion(source: string, target: string, version: number): void {
  const db = new BetterSqlite3(target);
  try {
    db.pragma('journal_mode = WAL');
    migrateReplica(
      db,
      REPLICA_MIGRATIONS.filter((m) => m.version <= version),
    );
    db.prepare('ATTACH ? AS source').run(source);
    // Lets the full-text index's own tables be written (SQLite's defensive mode forbids it).
    db.unsafeMode(true);
    const tables = db
      .prepare(
        "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'",
      )
      .pluck()
      .all() as string[];
    const columns = (schema: string, table: string) =>
      db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(table, schema) as string[];
    db.transaction(() => {
      for (const table of tables) {
        const theirs = new Set(columns('source', table));
        const shared = columns('main', table)
          .filter((column) => theirs.has(column))
          .join(', ');
        db.exec(
          `INSERT OR REPLACE INTO main.${table} (${shared}) SELECT ${shared} FROM source.${table}`,
        );
      }
    })();
    db.exec('DETACH source');
  } finally {
    db.close();
  }
}
