import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { IDS, NOW, removeTempDirs, seededReplica, type TestReplica } from './replica-fixtures';

/**
 * The replica's durability on a real file (docs/benchmarks.md, "Changes in session 4"): commits
 * go to the WAL without an fsync (synchronous = NORMAL), and marking a batch as sent is a commit
 * of its own made with synchronous = FULL, whose fsync of the WAL covers every earlier commit.
 * These check what that relies on: the mode, and that the mark really writes to the WAL.
 */

afterEach(removeTempDirs);

const synchronous = (t: TestReplica) => t.replica.db.pragma('synchronous', { simple: true });
const walBytes = (t: TestReplica) => statSync(`${t.replica.file}-wal`).size;

describe('replica durability', () => {
  it('commits local work without an fsync each (synchronous = NORMAL, in WAL mode)', () => {
    const t = seededReplica();
    expect(t.replica.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(synchronous(t)).toBe(1);
    expect(synchronous({ ...t, replica: t.reopen() })).toBe(1);
  });

  it('writes the sent mark to the WAL, under FULL, before a push leaves', () => {
    const t = seededReplica();
    const { mutationId } = t.replica.mutate(
      'setTicketFields',
      { ticketId: IDS.ticket, fields: { status: 'pending' } },
      NOW,
    );
    const before = walBytes(t);
    // Marked twice: the second mark changes no value and must still be a commit of its own.
    for (let i = 0; i < 2; i++) {
      const size = walBytes(t);
      t.replica.markSent([mutationId], NOW);
      expect(walBytes(t)).toBeGreaterThan(size);
    }
    expect(walBytes(t)).toBeGreaterThan(before);
    expect(synchronous(t)).toBe(1);
    expect(t.replica.pushBatch().map((m) => m.id)).toEqual([mutationId]);
  });
});
