import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointBetweenTasks } from '../../../../src-main/core/replica/wal-checkpoints';
import { IDS, NOW, removeTempDirs, seededReplica } from './replica-fixtures';

/**
 * WAL checkpoints between tasks, not inside commits (src-main/core/replica/wal-checkpoints.ts), on
 * real files: a run of commits with no task in between leaves its pages in the WAL, the timer
 * copies them once the event loop turns, and the backstop still bounds a long burst.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

function walDatabase(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-wal-'));
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir, 'test.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)');
  return db;
}

/** `commits` transactions of one 4 kB row each: at least one WAL page per commit. */
function burst(db: Database, commits: number): void {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  for (let i = 0; i < commits; i++) insert.run('x'.repeat(4000));
}

/** Pages in the WAL that a checkpoint has not copied yet; the probe is a checkpoint itself. */
const walPages = (db: Database) =>
  (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log;

describe('WAL checkpoints between tasks', () => {
  it('leaves the pages of commits made with no task in between in the WAL', () => {
    const db = walDatabase();
    const stop = checkpointBetweenTasks(db, { intervalMs: 20 });
    burst(db, 1_500);
    // SQLite's own checkpoint at 1,000 pages would have copied them inside a commit.
    expect(walPages(db)).toBeGreaterThanOrEqual(1_500);
    stop();
    db.close();
  });

  it('copies them on its timer once the event loop turns, and the WAL starts over', async () => {
    const db = walDatabase();
    const stop = checkpointBetweenTasks(db, { intervalMs: 20 });
    burst(db, 300);
    await sleep(100);
    // Everything was copied, so this commit starts the WAL from its beginning.
    burst(db, 1);
    expect(walPages(db)).toBeLessThan(10);
    stop();
    db.close();
  });

  it('still checkpoints inside a commit past the backstop', () => {
    const db = walDatabase();
    const stop = checkpointBetweenTasks(db, { intervalMs: 60_000, backstopPages: 200 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(200);
    burst(db, 1_000);
    expect(walPages(db)).toBeLessThan(400);
    stop();
    db.close();
  });

  it('stops when told, leaving the pages to the next checkpoint', async () => {
    const db = walDatabase();
    const stop = checkpointBetweenTasks(db, { intervalMs: 20 });
    stop();
    burst(db, 300);
    await sleep(100);
    expect(walPages(db)).toBeGreaterThanOrEqual(300);
    db.close();
  });

  it('is what a replica opens with', async () => {
    const t = seededReplica();
    expect(t.replica.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    for (let i = 0; i < 50; i++) {
      t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: [`tag-${i}`] }, NOW);
    }
    await sleep(1_200);
    t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['last'] }, NOW);
    expect(walPages(t.replica.db)).toBeLessThan(50);
    t.replica.close();
  });
});
