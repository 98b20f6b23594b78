import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Attachment } from '../../../../src-shared/domain/entities';
import {
  AttachmentCache,
  AttachmentMismatchError,
  attachmentCacheDir,
} from '../../../../src-main/core/attachments/attachment-cache';
import { replicaFileName } from '../../../../src-main/core/replica/replica';
import { TempDirs } from '../../../support/sync-harness';

/**
 * The attachment cache on real files: owner-only, one file per content named by its SHA-256,
 * checked on every read and on every write, and gone with the account.
 */

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

const identity = {
  serverUrl: 'https://help.example:8443/some/path',
  tenantId: '10000000-0000-4000-8000-000000000001',
  userId: '10000000-0000-4000-8000-0000000000a1',
};

function attachmentOf(bytes: Buffer, overrides: Partial<Attachment> = {}): Attachment {
  return {
    id: '10000000-0000-4000-8000-0000000000f1',
    ticketId: '10000000-0000-4000-8000-0000000000b1',
    commentId: null,
    name: '../../etc/passwd',
    size: bytes.length,
    contentType: 'text/plain',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    createdBy: identity.userId,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('AttachmentCache', () => {
  it('keeps one account under a hash of its ids, the replica’s, never a name', () => {
    const dataDir = dirs.make();
    const dir = attachmentCacheDir(dataDir, identity);
    const hash = replicaFileName(identity).replace(/^replica-|\.sqlite$/g, '');
    expect(dir).toBe(join(dataDir, 'attachments', hash));
    expect(attachmentCacheDir(dataDir, { ...identity, userId: identity.tenantId })).not.toBe(dir);
  });

  it('writes an owner-only file named by the SHA-256 in owner-only folders, whatever the umask', () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = dirs.make();
      const cache = new AttachmentCache(attachmentCacheDir(dataDir, identity));
      const bytes = Buffer.from('the content');
      const attachment = attachmentOf(bytes);
      expect(cache.has(attachment)).toBe(false);
      expect(cache.read(attachment)).toBeNull();
      cache.write(attachment, bytes);
      expect(readdirSync(cache.dir)).toEqual([attachment.sha256]);
      expect(modeOf(join(cache.dir, attachment.sha256))).toBe(0o600);
      expect(modeOf(cache.dir)).toBe(0o700);
      expect(modeOf(join(dataDir, 'attachments'))).toBe(0o700);
      expect(cache.has(attachment)).toBe(true);
      expect(cache.read(attachment)).toEqual(bytes);
    } finally {
      process.umask(previous);
    }
  });

  it('refuses to keep a content that does not match, and keeps nothing', () => {
    const dataDir = dirs.make();
    const cache = new AttachmentCache(attachmentCacheDir(dataDir, identity));
    const attachment = attachmentOf(Buffer.from('expected'));
    for (const wrong of [Buffer.from('tampered'), Buffer.from('expected!')]) {
      expect(() => cache.write(attachment, wrong)).toThrow(AttachmentMismatchError);
    }
    expect(existsSync(join(dataDir, 'attachments'))).toBe(false);
    expect(cache.has(attachment)).toBe(false);
  });

  it('drops a file changed on disk instead of handing it out', () => {
    const dataDir = dirs.make();
    const cache = new AttachmentCache(attachmentCacheDir(dataDir, identity));
    const bytes = Buffer.from('original');
    const attachment = attachmentOf(bytes);
    cache.write(attachment, bytes);
    writeFileSync(join(cache.dir, attachment.sha256), 'modified');
    expect(cache.read(attachment)).toBeNull();
    expect(cache.has(attachment)).toBe(false);
    // Kept again, it reads back.
    cache.write(attachment, bytes);
    expect(cache.read(attachment)).toEqual(bytes);
  });

  it('removes the account’s folder, and the attachments folder once it is empty', () => {
    const dataDir = dirs.make();
    const mine = new AttachmentCache(attachmentCacheDir(dataDir, identity));
    const other = new AttachmentCache(
      attachmentCacheDir(dataDir, { ...identity, userId: '10000000-0000-4000-8000-0000000000a2' }),
    );
    const bytes = Buffer.from('x');
    mine.write(attachmentOf(bytes), bytes);
    other.write(attachmentOf(bytes), bytes);
    mine.remove();
    expect(existsSync(mine.dir)).toBe(false);
    expect(existsSync(other.dir)).toBe(true);
    other.remove();
    expect(readdirSync(dataDir)).toEqual([]);
    // Nothing to remove is fine.
    expect(() => mine.remove()).not.toThrow();
  });
});
