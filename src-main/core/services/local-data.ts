import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountDiskUsage } from '../../../src-shared/bridge/accounts';
import { openReplica, type ReplicaIdentity } from '../replica/replica';
import { accountDir, type AccountEntry } from './account-registry';
import type { StoredSession } from './session-file';

/** The replica of a signed-in account is named and labelled by these. */
export function replicaIdentityOf(stored: StoredSession): ReplicaIdentity {
  return {
    serverUrl: stored.serverUrl,
    tenantId: stored.tenant.id,
    tenantSlug: stored.tenant.slug,
    userId: stored.user.id,
    role: stored.user.role,
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A replica's bytes on disk: the database and its write-ahead log and shared-memory files. */
export function replicaBytes(file: string): number {
  return ['', '-wal', '-shm', '-journal'].reduce((sum, suffix) => sum + sizeOf(file + suffix), 0);
}

/** The bytes of every file under a folder (0 when there is none). */
export function folderBytes(dir: string): number {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  return entries.reduce((sum, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sum + folderBytes(path);
    return sum + (entry.isFile() ? sizeOf(path) : 0);
  }, 0);
}

/**
 * Makes a closed replica pull everything again from cursor 0, as after `cursor_expired`: the
 * outbox, needs-attention items, held replies and drafts stay and are sent or shown as before;
 * rows the service no longer sends go when the new snapshot completes. The file is compacted
 * (VACUUM needs no open transaction, hence a closed replica). Answers the pending count kept.
 */
export function restartReplicaFromZero(dataDir: string, identity: ReplicaIdentity): number {
  const replica = openReplica(dataDir, identity);
  try {
    replica.restartFromZero();
    replica.db.exec('VACUUM');
    return replica.counts().pending;
  } finally {
    replica.close();
  }
}

/** Each account's folder on disk (replica, drafts, attachments), for the local-data screen. */
export function accountsDiskUsage(
  dataDir: string,
  accounts: readonly AccountEntry[],
): AccountDiskUsage[] {
  return accounts.map((account) => ({
    id: account.id,
    label: account.label,
    email: account.user.email,
    bytes: folderBytes(accountDir(dataDir, account.id)),
  }));
}
