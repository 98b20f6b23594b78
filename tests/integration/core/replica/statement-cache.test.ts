import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedStatement } from '../../../../src-main/core/replica/statement-cache';
import { IDS, NOW, removeTempDirs, seededReplica, tempDir } from './replica-fixtures';

/**
 * Prepared statements kept by SQL text (src-main/core/replica/statement-cache.ts), on real files:
 * the same text answers the same statement, per database, the least recently used dropped past
 * the cap; and a local mutation, once the replica is warm, prepares nothing.
 */

afterEach(removeTempDirs);

function database(): Database {
  return new BetterSqlite3(join(tempDir(), 'test.sqlite'));
}

/** Counts the statements `db` prepares while `run` runs. */
function preparedDuring(db: Database, run: () => void): string[] {
  const texts: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    texts.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  try {
    run();
  } finally {
    db.prepare = prepare;
  }
  return texts;
}

describe('cachedStatement', () => {
  it('answers the same statement for the same text, and one per database', () => {
    const a = database();
    const b = database();
    const first = cachedStatement(a, 'SELECT 1 AS n');
    expect(cachedStatement(a, 'SELECT 1 AS n')).toBe(first);
    expect(cachedStatement(a, 'SELECT 2 AS n')).not.toBe(first);
    const other = cachedStatement(b, 'SELECT 1 AS n');
    expect(other).not.toBe(first);
    expect(other.get()).toEqual({ n: 1 });
    a.close();
    b.close();
  });

  it('drops the least recently used statement past 200', () => {
    const db = database();
    const kept = cachedStatement(db, 'SELECT 0 AS n');
    const dropped = cachedStatement(db, 'SELECT -1 AS n');
    for (let i = 1; i <= 198; i++) {
      cachedStatement(db, `SELECT ${i} AS n`);
      // Used again all along: the most recently used survive.
      cachedStatement(db, 'SELECT 0 AS n');
    }
    cachedStatement(db, 'SELECT 199 AS n');
    expect(cachedStatement(db, 'SELECT 0 AS n')).toBe(kept);
    expect(cachedStatement(db, 'SELECT -1 AS n')).not.toBe(dropped);
    db.close();
  });

  it('leaves a warm replica nothing to prepare for a local mutation', () => {
    const t = seededReplica();
    const mutate = (i: number) => {
      t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: [`tag-${i}`] }, NOW);
      t.replica.mutate(
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: i % 2 ? 'open' : 'pending' } },
        NOW,
      );
    };
    expect(preparedDuring(t.replica.db, () => mutate(0)).length).toBeGreaterThan(0);
    expect(preparedDuring(t.replica.db, () => [1, 2, 3].forEach(mutate))).toEqual([]);
    t.replica.close();
  });
});
