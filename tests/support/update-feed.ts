import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A release published into an update feed folder the way electron-builder publishes one: the
 * installer, and the channel file naming it with its size and base64 sha512.
 */
export interface PublishedRelease {
  version: string;
  file: string;
  bytes: Buffer;
  sha512: string;
}

/**
 * The channel file electron-updater's generic provider asks for on this machine:
 * `latest-linux.yml` (`latest-linux-arm64.yml`…), `latest-mac.yml` or `latest.yml`.
 */
export function channelFile(): string {
  if (process.platform === 'win32') return 'latest.yml';
  if (process.platform === 'darwin') return 'latest-mac.yml';
  return `latest-linux${process.arch === 'x64' ? '' : `-${process.arch}`}.yml`;
}

export const sha512Of = (bytes: Buffer) => createHash('sha512').update(bytes).digest('base64');

/**
 * Writes a deb "installer" of random bytes and the channel file for `version` into `dir`.
 * `claimedSha512` publishes a wrong checksum (a corrupted upload).
 */
export function publishRelease(
  dir: string,
  version: string,
  options: { size?: number; claimedSha512?: string } = {},
): PublishedRelease {
  const bytes = randomBytes(options.size ?? 256 * 1024);
  const file = `helpdesk-desktop_${version}_amd64.deb`;
  const sha512 = sha512Of(bytes);
  const claimed = options.claimedSha512 ?? sha512;
  writeFileSync(join(dir, file), bytes);
  writeFileSync(
    join(dir, channelFile()),
    [
      `version: ${version}`,
      'files:',
      `  - url: ${file}`,
      `    sha512: ${claimed}`,
      `    size: ${bytes.length}`,
      `path: ${file}`,
      `sha512: ${claimed}`,
      "releaseDate: '2026-05-04T10:00:00.000Z'",
      '',
    ].join('\n'),
  );
  return { version, file, bytes, sha512 };
}
