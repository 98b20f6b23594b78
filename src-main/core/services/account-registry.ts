import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AccountId } from '../../../src-shared/bridge/accounts';
import { readJsonFile, writeJsonFile } from '../files/json-file';
import { accountHash } from '../replica/replica';
import { StoredSession } from './session-file';

/**
 * One account of the registry: who it is and how to reach its service (no secret: the refresh
 * token is in the keychain under the account's key), its label and when it was last the active one.
 */
export const AccountEntry = StoredSession.extend({
  id: AccountId,
  label: z.string(),
  addedAt: z.string(),
  lastUsedAt: z.string(),
});
export type AccountEntry = z.infer<typeof AccountEntry>;

const RegistryFile = z.object({
  version: z.literal(1),
  activeId: AccountId.nullable(),
  accounts: z.array(AccountEntry),
});
type RegistryFile = z.infer<typeof RegistryFile>;

const FILE = 'accounts.json';
const ACCOUNTS_DIR = 'accounts';

/** The id of the account of a session: the hash that already named its replica and attachments. */
export const accountIdOf = (session: Pick<StoredSession, 'serverUrl' | 'tenant' | 'user'>) =>
  accountHash({
    serverUrl: session.serverUrl,
    tenantId: session.tenant.id,
    userId: session.user.id,
  });

/** The folder of everything one account keeps here: replica (drafts in it), attachments. */
export const accountDir = (dataDir: string, id: string) => join(dataDir, ACCOUNTS_DIR, id);

/**
 * The accounts signed in on this machine and which one is active, in `accounts.json` of the data
 * folder, written whole on each change. With no account left the file and the accounts folder go: a
 * data folder after the last sign-out holds nothing of anyone.
 */
export class AccountRegistry {
  private state: RegistryFile;

  constructor(private readonly dataDir: string) {
    this.state = readRegistry(join(dataDir, FILE));
  }

  /** In the order they were added: the switcher's order, which Ctrl+1..9 follows. */
  list(): readonly AccountEntry[] {
    return this.state.accounts;
  }

  get(id: string): AccountEntry | null {
    return this.state.accounts.find((account) => account.id === id) ?? null;
  }

  get activeId(): string | null {
    return this.state.activeId;
  }

  /** Adds the account, or replaces the entry with its id (a new email, a new CA), in place. */
  put(entry: AccountEntry): void {
    const accounts = this.state.accounts.some((account) => account.id === entry.id)
      ? this.state.accounts.map((account) => (account.id === entry.id ? entry : account))
      : [...this.state.accounts, entry];
    this.write({ ...this.state, accounts });
  }

  /** Makes an account the active one, as of `now`. */
  activate(id: string, now: string): void {
    const accounts = this.state.accounts.map((account) =>
      account.id === id ? { ...account, lastUsedAt: now } : account,
    );
    if (!accounts.some((account) => account.id === id)) throw new Error(`No account ${id}.`);
    this.write({ ...this.state, accounts, activeId: id });
  }

  /**
   * Forgets an account. When it was the active one, the most recently used of the others takes
   * its place (or none is active). Answers the active id afterwards.
   */
  remove(id: string): string | null {
    const accounts = this.state.accounts.filter((account) => account.id !== id);
    const stillActive = this.state.activeId !== id ? this.state.activeId : null;
    const latest = [...accounts].sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt))[0];
    this.write({ ...this.state, accounts, activeId: stillActive ?? latest?.id ?? null });
    return this.state.activeId;
  }

  private write(next: RegistryFile): void {
    const file = join(this.dataDir, FILE);
    this.state = next;
    if (next.accounts.length === 0) {
      rmSync(file, { force: true });
      // Only when empty: an account's folder is removed by whoever removes the account.
      removeDirIfEmpty(join(this.dataDir, ACCOUNTS_DIR));
      return;
    }
    writeJsonFile(file, next);
  }

  /** Creates the account's folder (owner-only) and answers it. */
  makeDir(id: string): string {
    const dir = accountDir(this.dataDir, id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
}

/** Removes a folder if it is empty; one missing, or holding anything, is left as it is. */
export function removeDirIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Missing, or not empty: nothing to do here.
  }
}

function readRegistry(file: string): RegistryFile {
  const parsed = readJsonFile(file, RegistryFile, { version: 1, activeId: null, accounts: [] });
  // An active id that names no account (a hand-edited file) is no active account.
  const known = parsed.accounts.some((account) => account.id === parsed.activeId);
  return known ? parsed : { ...parsed, activeId: parsed.accounts[0]?.id ?? null };
}
