import BetterSqlite3 from 'better-sqlite3';
import { REPLICA_MIGRATIONS } from '../../../../src-main/core/replica/migrations';
import { openReplica, type Replica } from '../../../../src-main/core/replica/replica';
import { pageOfCursor, pageOfSubject, type CrashAck } from './crash-acks';
import { agentIdentity, projectionDump, projectionMismatches } from './replica-fixtures';

/**
 * What must hold of a replica file after its process was killed (or its files copied) anywhere in
 * crash-child.ts's work: each check returns its findings, one readable line each, empty when it
 * holds.
 */

/** SQLite's own checks of the file, and of the full-text index. */
export function integrityProblems(file: string): string[] {
  const db = new BetterSqlite3(file);
  try {
    const problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((row) => row.integrity_check)
      .filter((line) => line !== 'ok');
    const hasFts = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE name = 'ticket_fts'")
      .pluck()
      .get();
    if (hasFts) {
      try {
        db.prepare("INSERT INTO ticket_fts (ticket_fts) VALUES ('integrity-check')").run();
      } catch (error) {
        problems.push(`ticket_fts: ${String(error)}`);
      }
    }
    return problems;
  } finally {
    db.close();
  }
}

const overlayRows = (replica: Replica) =>
  replica.db.prepare('SELECT entity, id, data, parent_id FROM overlay ORDER BY entity, id').all();

/**
 * Nothing half applied: the overlay and the projection are exactly what base and the outbox make
 * of them (rebased again, nothing changes), outbox ids run without a gap up to the next one to
 * give, every batch is visible whole or not at all, and every ticket is at the page the cursor
 * names.
 */
function halfApplied(replica: Replica): string[] {
  const problems: string[] = [];
  const overlay = overlayRows(replica);
  const projection = projectionDump(replica);
  // An empty page rebases every pending mutation on base again, and refreshes the projection.
  replica.applyPullPage({
    changes: [],
    cursor: replica.cursor,
    hasMore: true,
    remaining: 0,
    lastMutationId: 0,
    epoch: replica.epoch ?? 'crash-epoch',
  });
  if (JSON.stringify(overlayRows(replica)) !== JSON.stringify(overlay)) {
    problems.push('overlay differs from the pending mutations rebased on base');
  }
  if (JSON.stringify(projectionDump(replica)) !== JSON.stringify(projection)) {
    problems.push('projection differs from base and overlay');
  }
  problems.push(...projectionMismatches(replica).map((line) => `projection: ${line}`));

  const ids = replica.db.prepare('SELECT id FROM outbox ORDER BY id').pluck().all() as number[];
  const next = Number(replica.meta('nextMutationId'));
  if (ids.length > 0 && (ids.at(-1) !== next - 1 || ids.at(-1)! - ids[0]! !== ids.length - 1)) {
    problems.push(`outbox ids ${ids[0]}..${ids.at(-1)} (${ids.length}) with next ${next}`);
  }

  const batches = new Map<string, { seen: number; size: number }>();
  for (const comment of replica.all('comment')) {
    const match = /^batch (\S+) \d+\/(\d+)$/.exec(comment.body);
    if (!match) continue;
    const batch = batches.get(match[1]!) ?? { seen: 0, size: Number(match[2]) };
    batch.seen += 1;
    batches.set(match[1]!, batch);
  }
  for (const [marker, { seen, size }] of batches) {
    if (seen !== size) problems.push(`batch ${marker}: ${seen} of ${size} comments`);
  }

  const page = pageOfCursor(replica.cursor);
  const subjects = replica.db
    .prepare(
      "SELECT json_extract(data, '$.subject') FROM base WHERE entity = 'ticket' AND json_extract(data, '$.subject') LIKE 'page %'",
    )
    .pluck()
    .all() as string[];
  const pages = new Set(subjects.map(pageOfSubject));
  if (pages.size > 1 || (pages.size === 1 && !pages.has(page))) {
    problems.push(`tickets at pages ${[...pages].join(',')}, cursor at page ${page}`);
  }
  return problems;
}

/** Every write the child reported committed is there. */
function lost(replica: Replica, acks: readonly CrashAck[]): string[] {
  const problems: string[] = [];
  const rows = replica.reader();
  const outbox = new Map(
    (
      replica.db.prepare('SELECT id, sent_at FROM outbox').all() as Array<{
        id: number;
        sent_at: string | null;
      }>
    ).map((row) => [row.id, row.sent_at]),
  );
  for (const ack of acks) {
    if (ack.op === 'comment') {
      if (rows.get('comment', ack.commentId)?.body !== ack.body) {
        problems.push(`comment ${ack.body} (mutation ${ack.mutationId}) lost`);
      }
    } else if (ack.op === 'batch') {
      const missing = ack.commentIds.filter((id) => !rows.get('comment', id));
      if (missing.length > 0) problems.push(`batch ${ack.marker}: ${missing.length} comments lost`);
      if (!rows.get('ticket', ack.ticketId)?.tags.includes(ack.tag)) {
        problems.push(`batch ${ack.marker}: tag ${ack.tag} lost`);
      }
    } else if (ack.op === 'page' || ack.op === 'snapshot') {
      if (pageOfCursor(replica.cursor) < ack.page) {
        problems.push(`page ${ack.page} lost (cursor ${replica.cursor})`);
      }
    } else if (ack.op === 'sent') {
      const unmarked = ack.mutationIds.filter((id) => outbox.has(id) && outbox.get(id) === null);
      if (unmarked.length > 0) problems.push(`sent marks of ${unmarked.join(',')} lost`);
    } else if (ack.op === 'confirmed') {
      const kept = [...outbox.keys()].filter((id) => id <= ack.lastMutationId);
      if (kept.length > 0) problems.push(`confirmed ${kept.join(',')} still in the outbox`);
    }
  }
  return problems;
}

/**
 * Opens the replica the way the app does (migrations run) and checks that every acknowledged
 * write is there and nothing is half applied. Writes to the file: the empty page of halfApplied.
 */
export function replicaProblems(dir: string, acks: readonly CrashAck[]): string[] {
  const replica = openReplica(dir, agentIdentity);
  try {
    const version = replica.db.pragma('user_version', { simple: true });
    const newest = REPLICA_MIGRATIONS.at(-1)!.version;
    return [
      ...(version === newest ? [] : [`schema version ${String(version)}, not ${newest}`]),
      ...lost(replica, acks),
      ...halfApplied(replica),
    ];
  } finally {
    replica.close();
  }
}

/** Parses a child's `ack …` line. */
export function ackOf(line: string): CrashAck | null {
  return line.startsWith('ack ') ? (JSON.parse(line.slice(4)) as CrashAck) : null;
}
