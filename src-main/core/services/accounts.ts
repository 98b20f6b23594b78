import type { AccountSummary } from '../../../src-shared/bridge/accounts';
import type { SyncSnapshot } from '../../../src-shared/bridge/sync-status';
import type { ServiceClient } from '../net/service-client';
import type { Replica } from '../replica/replica';
import type { TokenSession } from '../session/token-session';
import type { SyncEngine } from '../sync/sync-engine';
import { AccountRegistry, type AccountEntry } from './account-registry';
import { adoptSingleAccountLayout } from './single-account-layout';

/** One signed-in account, open: its replica, its keychain entry's tokens, its own sync engine. */
export interface AccountSession {
  readonly id: string;
  /** The account's folder: its replica (with drafts) and attachment cache. */
  readonly dir: string;
  stored: AccountEntry;
  /** Its keychain account name (see accountKey); follows an email change. */
  account: string;
  client: ServiceClient;
  replica: Replica;
  tokens: TokenSession;
  engine: SyncEngine;
  /** The engine's latest snapshot: the account list shows it without reading every replica. */
  snapshot: SyncSnapshot;
  unsubscribe: () => void;
}

/**
 * The accounts open in this process, over the registry that outlives it. Every signed-in account
 * is open and syncing, the active one in the foreground: changes queued in one account go on
 * being sent while the agent works in another, and each count in the switcher is live.
 */
export class OpenAccounts {
  readonly registry: AccountRegistry;
  private readonly open = new Map<string, AccountSession>();
  private announced = '';

  constructor(dataDir: string, now: string) {
    this.registry = new AccountRegistry(dataDir);
    adoptSingleAccountLayout(dataDir, this.registry, now);
  }

  /** The account the workspace shows, when it is open. */
  get active(): AccountSession | null {
    const id = this.registry.activeId;
    return id === null ? null : (this.open.get(id) ?? null);
  }

  get(id: string): AccountSession | null {
    return this.open.get(id) ?? null;
  }

  all(): AccountSession[] {
    return [...this.open.values()];
  }

  add(session: AccountSession): void {
    this.open.set(session.id, session);
  }

  /** Closes one account (the app quits, or it is signed out); its files stay. */
  async close(id: string): Promise<AccountSession | null> {
    const session = this.open.get(id);
    if (!session) return null;
    this.open.delete(id);
    session.unsubscribe();
    // The engine lets go of the replica at its next step; closing the client ends a request in
    // flight at once (rather than at its timeout). Only then is the replica closed under it.
    const engineClosed = session.engine.close();
    session.client.close();
    await engineClosed;
    session.replica.close();
    return session;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.close(id)));
  }

  /** Every open account, in the registry's order. */
  summaries(): AccountSummary[] {
    const activeId = this.registry.activeId;
    return this.registry.list().flatMap((entry) => {
      const session = this.open.get(entry.id);
      if (!session) return [];
      const { id, label, serverUrl, tenant, user } = entry;
      return [
        { id, label, serverUrl, tenant, user, active: id === activeId, sync: session.snapshot },
      ];
    });
  }

  /** The summaries when they differ from the last ones answered here, else null. */
  changedSummaries(): AccountSummary[] | null {
    const summaries = this.summaries();
    const text = JSON.stringify(summaries);
    if (text === this.announced) return null;
    this.announced = text;
    return summaries;
  }
}
