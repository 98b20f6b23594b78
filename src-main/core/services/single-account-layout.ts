import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { attachmentCacheDir } from '../attachments/attachment-cache';
import { replicaFileName } from '../replica/replica';
import {
  accountIdOf,
  removeDirIfEmpty,
  type AccountEntry,
  type AccountRegistry,
} from './account-registry';
import { replicaIdentityOf } from './local-data';
import { deleteSession, readSession, type StoredSession } from './session-file';

/**
 * Brings a data folder of the single-account app (`session.json`, the replica and the attachment
 * cache at its root) into the registry: its account, the active one, with its files moved into
 * the account's folder. Each step can run again after a crash part-way (a file already moved is
 * not there to move), and `session.json` goes last, so the account is never forgotten: rerun at
 * the next start, it finishes the move. Answers the account, or null when there was none.
 */
export function adoptSingleAccountLayout(
  dataDir: string,
  registry: AccountRegistry,
  now: string,
): AccountEntry | null {
  const stored = readSession(dataDir);
  if (!stored) return null;
  const id = accountIdOf(stored);
  const dir = registry.makeDir(id);
  const identity = replicaIdentityOf(stored);
  const replica = replicaFileName(identity);
  // The write-ahead log before the database: moved alone, a database would lose its last commits.
  for (const suffix of ['-wal', '-shm', '-journal', '']) {
    moveIfThere(join(dataDir, replica + suffix), join(dir, replica + suffix));
  }
  moveIfThere(attachmentCacheDir(dataDir, identity), attachmentCacheDir(dir, identity));
  removeDirIfEmpty(join(dataDir, 'attachments'));
  const entry = registry.get(id) ?? newEntry(stored, id, now);
  registry.put(entry);
  registry.activate(id, entry.lastUsedAt);
  deleteSession(dataDir);
  return entry;
}

/** A registry entry for an account just signed in to (or found in the old layout). */
export function newEntry(stored: StoredSession, id: string, now: string): AccountEntry {
  return { ...stored, id, label: stored.tenant.name, addedAt: now, lastUsedAt: now };
}

function moveIfThere(from: string, to: string): void {
  if (!existsSync(from)) return;
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  renameSync(from, to);
}
