import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attachmentCacheDir } from '../../../../src-main/core/attachments/attachment-cache';
import { replicaFileName } from '../../../../src-main/core/replica/replica';
import {
  accountDir,
  accountIdOf,
  AccountRegistry,
} from '../../../../src-main/core/services/account-registry';
import { replicaIdentityOf } from '../../../../src-main/core/services/local-data';
import { writeSession } from '../../../../src-main/core/services/session-file';
import { adoptSingleAccountLayout } from '../../../../src-main/core/services/single-account-layout';
import { TempDirs } from '../../../support/sync-harness';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

const NOW = '2026-04-01T00:00:00.000Z';
const stored = {
  serverUrl: 'https://help.example.com',
  tenant: { id: '00000000-0000-4000-8000-000000000001', slug: 'acme', name: 'Acme' },
  user: {
    id: '10000000-0000-4000-8000-000000000001',
    name: 'Agent One',
    email: 'agent1@acme.test',
    role: 'agent' as const,
  },
  caCertificate: null,
  allowInsecureLoopback: false,
};
const identity = replicaIdentityOf(stored);
const replica = replicaFileName(identity);
const SUFFIXES = ['', '-wal', '-shm'];

/** A data folder as the single-account app left it (files with contents to recognise). */
function oldLayout(): string {
  const dataDir = dirs.make('helpdesk-old-layout-');
  writeSession(dataDir, stored);
  for (const suffix of SUFFIXES) writeFileSync(join(dataDir, replica + suffix), `db${suffix}`);
  const cache = attachmentCacheDir(dataDir, identity);
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'f'.repeat(64)), 'attachment');
  return dataDir;
}

function expectAdopted(dataDir: string): void {
  const dir = accountDir(dataDir, accountIdOf(stored));
  expect(readdirSync(dataDir).sort()).toEqual(['accounts', 'accounts.json']);
  for (const suffix of SUFFIXES) {
    expect(readFileSync(join(dir, replica + suffix), 'utf8')).toBe(`db${suffix}`);
  }
  const cache = attachmentCacheDir(dir, identity);
  expect(readFileSync(join(cache, 'f'.repeat(64)), 'utf8')).toBe('attachment');
  const registry = new AccountRegistry(dataDir);
  expect(registry.list()).toEqual([
    {
      ...stored,
      id: accountIdOf(stored),
      label: 'Acme',
      addedAt: NOW,
      lastUsedAt: NOW,
    },
  ]);
  expect(registry.activeId).toBe(accountIdOf(stored));
}

describe('adoptSingleAccountLayout', () => {
  it('moves the replica, its log and the attachment cache into the account, which is active', () => {
    const dataDir = oldLayout();
    const entry = adoptSingleAccountLayout(dataDir, new AccountRegistry(dataDir), NOW);
    expect(entry).toMatchObject({ id: accountIdOf(stored), label: 'Acme' });
    expectAdopted(dataDir);
    // Once adopted, a second start finds nothing to do.
    expect(adoptSingleAccountLayout(dataDir, new AccountRegistry(dataDir), NOW)).toBeNull();
    expectAdopted(dataDir);
  });

  it('finishes a move that a crash cut short, losing nothing', () => {
    const dataDir = oldLayout();
    // The crash came after the write-ahead log moved, before the database did.
    const dir = accountDir(dataDir, accountIdOf(stored));
    mkdirSync(dir, { recursive: true });
    renameSync(join(dataDir, `${replica}-wal`), join(dir, `${replica}-wal`));
    adoptSingleAccountLayout(dataDir, new AccountRegistry(dataDir), NOW);
    expectAdopted(dataDir);
  });

  it('does nothing to a folder without a session', () => {
    const dataDir = dirs.make('helpdesk-no-layout-');
    expect(adoptSingleAccountLayout(dataDir, new AccountRegistry(dataDir), NOW)).toBeNull();
    expect(existsSync(join(dataDir, 'accounts'))).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
