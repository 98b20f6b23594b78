import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SessionInfo } from '../../../src-shared/bridge/contract';

/**
 * Who is signed in to an account, as kept between runs (no secret: the refresh token is in the
 * keychain). The single-account app kept one in `session.json` at the root of its data folder;
 * the account registry (account-registry.ts) keeps them now and adopts that file once.
 */
export const StoredSession = SessionInfo.extend({
  caCertificate: z.string().nullable(),
  allowInsecureLoopback: z.boolean(),
});
export type StoredSession = z.infer<typeof StoredSession>;

const FILE = 'session.json';

export function readSession(dataDir: string): StoredSession | null {
  const file = join(dataDir, FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = StoredSession.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeSession(dataDir: string, session: StoredSession): void {
  writeFileSync(join(dataDir, FILE), JSON.stringify(session, null, 2), { mode: 0o600 });
}

export function deleteSession(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}
