import { createHash, randomUUID } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Attachment } from '../../../src-shared/domain/entities';
import { accountHash, type ReplicaIdentity } from '../replica/replica';

/** The content does not match the attachment's SHA-256 (or size): it was not kept. */
export class AttachmentMismatchError extends Error {
  override readonly name = 'AttachmentMismatchError';
}

const matches = (attachment: Attachment, bytes: Buffer) =>
  bytes.length === attachment.size &&
  createHash('sha256').update(bytes).digest('hex') === attachment.sha256;

/** Where one account's attachments are kept: `<dataDir>/attachments/<account hash>`. */
export function attachmentCacheDir(
  dataDir: string,
  identity: Pick<ReplicaIdentity, 'serverUrl' | 'tenantId' | 'userId'>,
): string {
  return join(dataDir, 'attachments', accountHash(identity));
}

/**
 * Attachment contents fetched from the service, kept for offline use: one owner-only file per
 * content, named by its SHA-256 (the metadata's, which the schema keeps to 64 hex digits, so no
 * name reaches the path). Every read is checked against that hash: a file changed on disk is
 * dropped rather than handed out.
 */
export class AttachmentCache {
  constructor(readonly dir: string) {}

  private fileOf(attachment: Attachment): string {
    return join(this.dir, attachment.sha256);
  }

  has(attachment: Attachment): boolean {
    try {
      return statSync(this.fileOf(attachment)).isFile();
    } catch {
      return false;
    }
  }

  /** The kept content, or null when there is none or it no longer matches (it is then deleted). */
  read(attachment: Attachment): Buffer | null {
    const file = this.fileOf(attachment);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return null;
    }
    if (matches(attachment, bytes)) return bytes;
    rmSync(file, { force: true });
    return null;
  }

  /** Keeps a content fetched from the service; one that does not match throws and is not kept. */
  write(attachment: Attachment, bytes: Buffer): void {
    if (!matches(attachment, bytes)) {
      throw new AttachmentMismatchError(
        `The content received for ${attachment.name} does not match its checksum.`,
      );
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(dirname(this.dir), 0o700);
    chmodSync(this.dir, 0o700);
    // Written aside, then renamed: a reader never sees half a file.
    const temp = join(this.dir, `${attachment.sha256}.${randomUUID()}.tmp`);
    writeFileSync(temp, bytes, { mode: 0o600, flag: 'wx' });
    renameSync(temp, this.fileOf(attachment));
  }

  /** Deletes the kept contents with these SHA-256s (no ticket here refers to them any more). */
  forget(sha256s: readonly string[]): void {
    for (const sha256 of sha256s) {
      // Only names this cache writes: 64 hex digits, never a path.
      if (/^[0-9a-f]{64}$/.test(sha256)) rmSync(join(this.dir, sha256), { force: true });
    }
  }

  /** Deletes the account's folder, and the attachments folder once no account has one. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    try {
      rmdirSync(dirname(this.dir));
    } catch {
      // Another account's folder is still there, or there never was one.
    }
  }
}
