import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrateReplica } from '../../src-main/core/replica/migrations';
const db = new BetterSqlite3(path.join(mkdtempSync(path.join(tmpdir(), 'ups-')), 'x.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
migrateReplica(db);
const N = 100000;
const ins = db.prepare(
  `INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type, requester_id, assignee_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
);
const st = ['new', 'open', 'pending', 'solved'];
db.transaction(() => {
  for (let i = 0; i < N; i++)
    ins.run(
      `id-${i}`,
      i,
      `subject ${i}`,
      st[i % 4],
      'normal',
      1,
      'question',
      `req-${i % 2000}`,
      `agent-${i % 20}`,
      new Date(1e12 + i * 1000).toISOString(),
      new Date(1e12 + i * 1000).toISOString(),
    );
})();
const upsert =
  db.prepare(`INSERT INTO tickets (id, number, subject, status, priority, priority_rank, type, requester_id, assignee_id, created_at, updated_at, pending)
 VALUES (@id, @number, @subject, @status, @priority, @priorityRank, @type, @requesterId, @assigneeId, @createdAt, @updatedAt, @pending)
 ON CONFLICT (id) DO UPDATE SET number = excluded.number, subject = excluded.subject, status = excluded.status,
   priority = excluded.priority, priority_rank = excluded.priority_rank, type = excluded.type,
   requester_id = excluded.requester_id, assignee_id = excluded.assignee_id, created_at = excluded.created_at,
   updated_at = excluded.updated_at, pending = excluded.pending RETURNING rowid`);
const upd = db.prepare('UPDATE tickets SET status = ?, updated_at = ? WHERE rowid = ?');
const rows = db.prepare('SELECT rowid, * FROM tickets ORDER BY random() LIMIT 1000').all() as Array<
  Record<string, unknown>
>;
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  db.transaction(() => {
    for (const r of rows)
      upsert.get({
        id: r.id,
        number: r.number,
        subject: r.subject,
        status: 'closed',
        priority: r.priority,
        priorityRank: r.priority_rank,
        type: r.type,
        requesterId: r.requester_id,
        assigneeId: r.assignee_id,
        createdAt: r.created_at,
        updatedAt: new Date().toISOString(),
        pending: 0,
      });
  })();
  const a = performance.now() - t;
  t = performance.now();
  db.transaction(() => {
    for (const r of rows) upd.run('open', new Date().toISOString(), r.rowid);
  })();
  const updAll = db.prepare(
    'UPDATE tickets SET number=?, subject=?, status=?, priority=?, priority_rank=?, type=?, requester_id=?, assignee_id=?, created_at=?, updated_at=?, pending=? WHERE rowid = ?',
  );
  const t2 = performance.now();
  db.transaction(() => {
    for (const r of rows)
      updAll.run(
        r.number,
        r.subject,
        'pending',
        r.priority,
        r.priority_rank,
        r.type,
        r.requester_id,
        r.assignee_id,
        r.created_at,
        new Date().toISOString(),
        0,
        r.rowid,
      );
  })();
  console.log('update all columns by rowid', (performance.now() - t2).toFixed(1));
  console.log(
    'upsert all columns',
    a.toFixed(1),
    'ms; update changed columns',
    (performance.now() - t).toFixed(1),
    'ms',
  );
}
