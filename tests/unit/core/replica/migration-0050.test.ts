import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLICA_MIGRATIONS, migrateReplica } from '../../../../src-main/core/replica/migrations';

/**
 * 0050-fts-merges: a version-40 replica stops merging its full-text segments inside commits,
 * unless it is in the middle of a snapshot, which keeps merging as it writes until it ends.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A version-40 replica file, in a snapshot or not, then migrated to the latest version. */
function migratedFrom40(inSnapshot: boolean): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'replica-0050-'));
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir, 'replica.sqlite'));
  try {
    migrateReplica(
      db,
      REPLICA_MIGRATIONS.filter((m) => m.version <= 40),
    );
    db.prepare("INSERT INTO meta (key, value) VALUES ('snapshot', ?)").run(inSnapshot ? '1' : '0');
    db.prepare('INSERT INTO ticket_fts (rowid, subject) VALUES (1, ?)').run('Printer jammed');
    migrateReplica(db);
    return {
      settings: Object.fromEntries(
        db.prepare('SELECT k, v FROM ticket_fts_config ORDER BY k').raw().all() as Array<
          [string, unknown]
        >,
      ),
      found: db.prepare("SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH 'jam*'").pluck().all(),
    };
  } finally {
    db.close();
  }
}

describe('0050-fts-merges', () => {
  it('is registered after 0040', () => {
    const versions = REPLICA_MIGRATIONS.map((m) => m.version);
    expect(REPLICA_MIGRATIONS.find((m) => m.version === 50)?.name).toBe('fts-merges');
    expect(versions.indexOf(50)).toBe(versions.indexOf(40) + 1);
  });

  it('stops merging inside commits, and keeps the index', () => {
    expect(migratedFrom40(false)).toMatchObject({
      settings: { automerge: 0, crisismerge: 30 },
      found: [1],
    });
  });

  it('lets a snapshot under way keep merging as it writes', () => {
    expect(migratedFrom40(true)).toMatchObject({
      settings: { automerge: 4, crisismerge: 16 },
      found: [1],
    });
  });
});
