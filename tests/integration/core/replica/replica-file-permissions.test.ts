import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openReplica } from '../../../../src-main/core/replica/replica';
import {
  IDS,
  NOW,
  agentIdentity,
  removeTempDirs,
  seededReplica,
  tempDir,
} from './replica-fixtures';

/**
 * The replica holds customers' personal data (names, emails, conversations): its folder and every
 * file of it (database, WAL, shared memory) are readable by the user only, whatever the umask.
 */

afterEach(removeTempDirs);

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('replica file permissions', () => {
  it('creates the folder 0700 and the database, WAL and shared-memory files 0600', () => {
    const previous = process.umask(0o022);
    try {
      const t = seededReplica();
      t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['private'] }, NOW);
      const files = readdirSync(t.dir);
      expect(files.some((name) => name.endsWith('.sqlite-wal'))).toBe(true);
      expect(files.some((name) => name.endsWith('.sqlite-shm'))).toBe(true);
      expect(modeOf(t.dir)).toBe(0o700);
      for (const name of files) expect([name, modeOf(join(t.dir, name))]).toEqual([name, 0o600]);
      t.replica.close();
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a database file an older version left readable by others', () => {
    const dir = tempDir();
    const first = openReplica(dir, agentIdentity);
    const file = first.file;
    first.close();
    chmodSync(file, 0o644);
    openReplica(dir, agentIdentity).close();
    expect(modeOf(file)).toBe(0o600);
  });
});
