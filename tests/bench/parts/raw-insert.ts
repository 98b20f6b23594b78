import { rmSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrateReplica } from '../../../src-main/core/replica/migrations';
import { REPLICA_CACHE_KIB } from '../../../src-main/core/replica/replica';
import type { Comment, Contact, Ticket } from '../../../src-shared/domain/entities';
import { TICKET_PRIORITIES } from '../../../src-shared/domain/enums';
import type { ServiceRow, ServiceRows } from '../support/service-rows';

export interface RawInsertResult {
  seconds: number;
  rows: number;
}

/**
 * The floor for an initial sync: the rows a pull delivers, written straight into a fresh file in
 * the replica's schema (its own migrations) with prepared statements, one transaction per page of
 * the pull's size, including the query projection (tickets, tags, full text) the replica needs to
 * be queryable. No network, no validation, no rebase. Only the writing is timed, not the reading
 * of the service's file. The file is deleted afterwards.
 */
export function rawInsert(source: ServiceRows, file: string, pageSize: number): RawInsertResult {
  const db = new BetterSqlite3(file);
  try {
    return writeAll(db, source, pageSize);
  } finally {
    db.close();
    // Each round writes a new file: none of their gigabytes is kept.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}

function writeAll(db: Database, source: ServiceRows, pageSize: number): RawInsertResult {
  // The pragmas openReplica sets: the same durability (WAL, no fsync per commit) as the replica.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${REPLICA_CACHE_KIB}`);
  migrateReplica(db);
  const base = db.prepare(
    'INSERT INTO base (entity, id, data, parent_id, generation) VALUES (?, ?, ?, ?, 1)',
  );
  const ticketRow = db.prepare(
    `INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type, requester_id,
       assignee_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = db.prepare('INSERT INTO ticket_tags (tag, ticket_rowid) VALUES (?, ?)');
  const fts = db.prepare(
    'INSERT INTO ticket_fts (rowid, subject, description, comments, requester) VALUES (?, ?, ?, ?, ?)',
  );
  // The service sends contacts first and a ticket's comments before it: what the full text of a
  // ticket needs is at hand when the ticket arrives.
  const requesters = new Map<string, string>();
  const comments = new Map<string, string[]>();
  const writePage = db.transaction((page: ServiceRow[]) => {
    for (const row of page) {
      let parent: string | null = null;
      if (row.entity === 'comment') {
        const comment = JSON.parse(row.data) as Comment;
        parent = comment.ticketId;
        const bodies = comments.get(parent);
        if (bodies) bodies.push(comment.body);
        else comments.set(parent, [comment.body]);
      } else if (row.entity === 'contact') {
        const contact = JSON.parse(row.data) as Contact;
        requesters.set(contact.id, `${contact.name} ${contact.email ?? ''}`);
      }
      base.run(row.entity, row.id, row.data, parent);
      if (row.entity !== 'ticket') continue;
      const t = JSON.parse(row.data) as Ticket;
      const rowid = ticketRow.run(
        t.id,
        t.number,
        t.subject,
        t.status,
        t.priority,
        TICKET_PRIORITIES.indexOf(t.priority),
        t.type,
        t.requesterId,
        t.assigneeId,
        t.createdAt,
        t.updatedAt,
      ).lastInsertRowid;
      for (const name of t.tags) tag.run(name, rowid);
      fts.run(
        rowid,
        t.subject,
        t.description,
        (comments.get(t.id) ?? []).join('\n'),
        requesters.get(t.requesterId) ?? '',
      );
      comments.delete(t.id);
    }
  });
  let ms = 0;
  let rows = 0;
  for (const page of source.pages(pageSize)) {
    const started = performance.now();
    writePage(page);
    ms += performance.now() - started;
    rows += page.length;
  }
  return { seconds: ms / 1000, rows };
}
