import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeFullTextBetweenTasks } from '../../../../src-main/core/replica/fts-merges';
import { IDS, NOW, newId, removeTempDirs, search, seededReplica } from './replica-fixtures';

/**
 * Full-text merges between tasks, not inside commits (src-main/core/replica/fts-merges.ts), on a
 * real replica: a local mutation adds a segment and merges none, the timer merges them once the
 * event loop turns, and a snapshot merges as it writes.
 */

afterEach(removeTempDirs);

const segments = (db: Database) =>
  db.prepare('SELECT count(DISTINCT segid) FROM ticket_fts_idx').pluck().get() as number;
const setting = (db: Database, key: string) =>
  db.prepare('SELECT v FROM ticket_fts_config WHERE k = ?').pluck().get(key);

function comment(body: string) {
  return { id: newId(), ticketId: IDS.ticket, body, public: false };
}

describe('full-text merges between tasks', () => {
  it('merges no segment inside the commit of a local mutation', () => {
    const { replica } = seededReplica();
    expect(setting(replica.db, 'automerge')).toBe(0);
    const counts = [segments(replica.db)];
    for (let i = 0; i < 12; i++) {
      replica.mutate('addComment', comment(`note ${i} about the toner`), NOW);
      counts.push(segments(replica.db));
    }
    // FTS5's default (automerge 4) would have merged four segments into one along the way.
    expect(counts).toEqual(counts.map((_, i) => counts[0]! + i));
  });

  it('merges them on its timer, and searches answer as before', async () => {
    const { replica } = seededReplica();
    for (let i = 0; i < 12; i++) replica.mutate('addComment', comment(`reply ${i} quokka`), NOW);
    const before = segments(replica.db);
    const stop = mergeFullTextBetweenTasks(replica.db, { intervalMs: 10 });
    try {
      await expect.poll(() => segments(replica.db), { timeout: 5_000 }).toBeLessThan(before / 2);
    } finally {
      stop();
    }
    expect(search(replica, 'quokka')).toEqual([IDS.ticket]);
    expect(search(replica, 'toner')).toEqual([IDS.ticket]);
  });

  it('stays still while a snapshot merges as it writes, and stops inside commits after it', async () => {
    const { replica, pages } = seededReplica();
    for (let i = 0; i < 8; i++) replica.mutate('addComment', comment(`memo ${i}`), NOW);
    replica.beginSnapshot();
    expect(setting(replica.db, 'automerge')).toBe(4);
    const during = segments(replica.db);
    const stop = mergeFullTextBetweenTasks(replica.db, { intervalMs: 10 });
    await sleep(200);
    expect(segments(replica.db)).toBe(during);
    stop();
    replica.applyPullPage(pages.page([]));
    expect(setting(replica.db, 'automerge')).toBe(0);
    expect(setting(replica.db, 'crisismerge')).toBe(30);
  });
});
