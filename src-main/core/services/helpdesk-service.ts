import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, rmSync } from 'node:fs';
import { chosenNotices } from '../../../src-shared/bridge/device-settings';
import type { SentSyncSnapshot, SyncSnapshot } from '../../../src-shared/bridge/sync-status';
import {
  BRIDGE_INVOKE,
  type BridgeCall,
  type BridgeEvent,
  type BridgeEventPayload,
  type BridgeInput,
  type AppInfo,
  type BridgeOutput,
  type SessionInfo,
  type SignInInput,
} from '../../../src-shared/bridge/contract';
import { passwordProblem } from '../../../src-shared/auth/password-policy';
import { ATTACHMENT_MAX_BYTES } from '../../../src-shared/protocol/attachments';
import type { SessionUser, TokenResponse } from '../../../src-shared/protocol/auth';
import { AttachmentCache, attachmentCacheDir } from '../attachments/attachment-cache';
import { openAttachment } from '../attachments/open-attachment';
import { accountKey, type CredentialStore } from '../credentials/credential-store';
import { ServiceClient, type ServiceClientOptions } from '../net/service-client';
import { ServiceError, upgradeRequiredMessage } from '../net/service-error';
import { loadCaCertificates } from '../net/tls-agent';
import { LocalMutationError, openReplica } from '../replica/replica';
import { getDraft, saveDraft } from '../replica/drafts';
import { planMacro } from '../replica/macro-plan';
import { mutateEach } from '../replica/mutate-each';
import { resolveHeldReply } from '../replica/resolve-held';
import { deleteView, listSavedViews, saveView } from '../replica/saved-views';
import { listTickets, searchTickets } from '../replica/ticket-queries';
import { TokenSession } from '../session/token-session';
import { SignInRequiredError, SyncEngine, type SyncEngineOptions } from '../sync/sync-engine';
import { createLogger, NO_LOG, type Logger } from '../diagnostics/logger';
import { diagnosticsReport, systemInfo } from '../diagnostics/diagnostics-report';
import type { RotatingLog } from '../diagnostics/rotating-log';
import { BridgeError } from './bridge-error';
import { accountDir, accountIdOf, type AccountEntry } from './account-registry';
import { OpenAccounts, type AccountSession } from './accounts';
import {
  accountsDiskUsage,
  folderBytes,
  replicaBytes,
  replicaIdentityOf,
  restartReplicaFromZero,
} from './local-data';
import { NewWorkWatcher } from './new-work-notices';
import * as offlineWindow from './offline-window-calls';
import { DeviceSettingsStore, deviceSettingsFile } from '../settings/device-settings-store';
import { newEntry } from './single-account-layout';
import { UpdateManager } from '../updates/update-manager';

export interface HelpdeskServiceOptions {
  dataDir: string;
  credentials: CredentialStore;
  /** Plain http to a loopback service (development only). */
  allowInsecureLoopback?: boolean;
  clock?: () => Date;
  /** Engine tuning for tests (backoff, page sizes). */
  engine?: Partial<Omit<SyncEngineOptions, 'replica' | 'api' | 'tokens'>>;
  clientOptions?: Partial<ServiceClientOptions>;
  /** What `getAppInfo` answers: the shell's name and version, and the sign-in form's defaults. */
  appInfo?: AppInfo;
  /** The diagnostics log: sync states and failures go there (redacted), and into the report. */
  diagnostics?: RotatingLog;
  /** This computer's choices; by default `device-settings.json` in the data folder. */
  deviceSettings?: DeviceSettingsStore;
  /** The app's own updates (the packaged Electron app's); by default, none. */
  updates?: UpdateManager;
}

type Handlers = { [C in BridgeCall]: (input: BridgeOutputOfInput<C>) => Promise<BridgeOutput<C>> };
type BridgeOutputOfInput<C extends BridgeCall> = import('zod').output<
  (typeof BRIDGE_INVOKE)[C]['input']
>;

/**
 * Everything the renderer can ask of the main process, over the replica, the sync engine, the
 * keychain and the service. `invoke` parses every input with the bridge contract first: the
 * renderer is untrusted. The IPC handlers of the Electron shell are one line over `invoke`.
 */
export class HelpdeskService {
  /** Every signed-in account, open and syncing; one of them is the active one. */
  private readonly accounts: OpenAccounts;
  private readonly events = new EventEmitter();
  private readonly clock: () => Date;
  private readonly log: Logger;
  /** Theme and notification choices of this computer (the shell follows them too). */
  readonly deviceSettings: DeviceSettingsStore;
  private readonly updates: UpdateManager;

  constructor(private readonly options: HelpdeskServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.log = options.diagnostics ? createLogger(options.diagnostics, this.clock) : NO_LOG;
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.accounts = new OpenAccounts(options.dataDir, this.clock().toISOString());
    this.deviceSettings =
      options.deviceSettings ?? new DeviceSettingsStore(deviceSettingsFile(options.dataDir));
    this.updates =
      options.updates ??
      new UpdateManager({
        currentVersion: options.appInfo?.version ?? '0.0.0',
        updater: null,
        unsupportedReason:
          options.appInfo?.shell === 'preview'
            ? 'The browser preview does not update itself; the desktop app does.'
            : 'This copy of Help Desk does not update itself.',
        dataDir: options.dataDir,
      });
    this.updates.subscribe((status) => this.emit('updateStatus', status));
    // For the service's whole life, across sign-ins (each account starts from its own baseline):
    // both shells get `newWork`, of the kinds chosen; the Electron shell also shows it natively.
    new NewWorkWatcher(this, (found) => {
      const notices = chosenNotices(found, this.deviceSettings.get().notifications);
      if (notices.length > 0) this.emit('newWork', { notices });
    }).start();
  }

  /**
   * Resumes every account of the last run (each syncs; the active one is shown): reading works at
   * once, offline included. Answers the active account.
   */
  async restore(): Promise<SessionInfo | null> {
    for (const entry of this.accounts.registry.list()) {
      if (!this.accounts.get(entry.id)) this.activate(entry);
    }
    this.announceAccounts();
    return this.active ? this.sessionInfo(this.active) : null;
  }

  /** The account the workspace shows and the calls act on. */
  private get active(): AccountSession | null {
    return this.accounts.active;
  }

  on<E extends BridgeEvent>(
    event: E,
    listener: (payload: BridgeEventPayload<E>) => void,
  ): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  private emit<E extends BridgeEvent>(event: E, payload: BridgeEventPayload<E>): void {
    this.events.emit(event, payload);
  }

  /** The single entry point of the bridge: validates, runs, and answers or throws a BridgeError. */
  async invoke<C extends BridgeCall>(
    call: C,
    input: BridgeInput<C> | unknown,
  ): Promise<BridgeOutput<C>> {
    // Own keys only: `toString`, `constructor`, `__proto__`… are on every object's prototype.
    if (typeof call !== 'string' || !Object.hasOwn(BRIDGE_INVOKE, call)) {
      throw new BridgeError('bad_request', `Unknown call ${String(call)}.`);
    }
    const spec = BRIDGE_INVOKE[call as BridgeCall];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      throw new BridgeError(
        'bad_request',
        `Invalid input for ${call}.`,
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const handler = this.handlers[call] as (input: unknown) => Promise<BridgeOutput<C>>;
    try {
      return await handler(parsed.data);
    } catch (error) {
      const failure = toBridgeError(error);
      // Signed out is an answer the renderer asks for, not a failure worth a line.
      if (failure.code !== 'not_signed_in') {
        this.log[failure.code === 'internal' ? 'error' : 'warn']('bridge.failed', {
          call,
          code: failure.code,
          message: failure.message,
          ...(failure.code === 'internal' ? { error } : {}),
        });
      }
      throw failure;
    }
  }

  /** The OS reports the network is back: the engine retries at once instead of after its backoff. */
  networkUp(): void {
    for (const session of this.accounts.all()) session.engine.networkUp();
  }

  async close(): Promise<void> {
    await this.accounts.closeAll();
  }

  private isSameAccount(
    active: AccountSession,
    input: { serverUrl: string; tenant: string; email: string },
  ): boolean {
    try {
      return accountKey(input.serverUrl, input.tenant, input.email) === active.account;
    } catch {
      return false;
    }
  }

  private requireSession(): AccountSession {
    if (!this.active) throw new BridgeError('not_signed_in', 'Please sign in first.');
    return this.active;
  }

  private sentSnapshots = 0;

  /** A snapshot stamped with the order in which it leaves for the renderer (SentSyncSnapshot). */
  private sent(snapshot: SyncSnapshot): SentSyncSnapshot {
    return { ...snapshot, seq: ++this.sentSnapshots };
  }

  private sessionInfo(active: AccountSession): SessionInfo {
    const { serverUrl, tenant, user } = active.stored;
    return { serverUrl, tenant, user };
  }

  private clientFor(serverUrl: string, ca: string | null): ServiceClient {
    // The account's own CA (chosen at sign-in) and one the shell trusts (the demo service's) add
    // up; neither replaces the other.
    const { ca: shellCa, ...clientOptions } = this.options.clientOptions ?? {};
    const cas = [ca, shellCa].filter((c): c is string => Boolean(c));
    return new ServiceClient({
      serverUrl,
      ...(cas.length > 0 ? { ca: cas.flatMap(readCa).join('\n') } : {}),
      allowInsecureLoopback: this.options.allowInsecureLoopback ?? false,
      ...(this.options.appInfo ? { clientVersion: this.options.appInfo.version } : {}),
      ...clientOptions,
    });
  }

  /** Opens an account of the registry: its replica, keychain entry and engine (started, unless not). */
  private activate(
    stored: AccountEntry,
    client = this.clientFor(stored.serverUrl, stored.caCertificate),
    start = true,
  ): AccountSession {
    const dir = this.accounts.registry.makeDir(stored.id);
    const replica = openReplica(dir, replicaIdentityOf(stored));
    const account = accountKey(stored.serverUrl, stored.tenant.slug, stored.user.email);
    const tokens = new TokenSession(
      client,
      this.options.credentials,
      account,
      () => replica.clientId,
      this.clock,
    );
    tokens.onTokens((response) => {
      if (response.user.role !== replica.role) replica.updateRole(response.user.role);
    });
    const engine = new SyncEngine({
      replica,
      api: client,
      tokens,
      clock: this.clock,
      ...this.options.engine,
      // Nothing can report a failure here: the status already says what happened.
      onAccountDisabled: () => void this.wipe(stored.id).catch(() => undefined),
      onUnreferenced: (sha256s) => this.attachmentCache(stored).forget(sha256s),
    });
    const session: AccountSession = {
      id: stored.id,
      dir,
      stored,
      account,
      client,
      replica,
      tokens,
      engine,
      snapshot: engine.snapshot(),
      unsubscribe: () => undefined,
    };
    let lastState: string | null = null;
    session.unsubscribe = engine.subscribe((snapshot) => {
      session.snapshot = snapshot;
      if (snapshot.status.state !== lastState) {
        lastState = snapshot.status.state;
        const quiet = ['idle', 'syncing', 'connecting', 'initial-sync'].includes(lastState);
        this.log[quiet ? 'info' : 'warn']('sync.state', {
          ...snapshot.status,
          pending: snapshot.pending,
          needsAttention: snapshot.needsAttention,
          account: stored.id,
        });
      }
      // The renderer shows the active account; the others' counts reach it in the account list.
      if (this.active === session) {
        this.emit('syncStatus', this.sent(snapshot));
        this.emit('replicaChanged', { ticketIds: null });
      }
      this.announceAccounts();
    });
    this.accounts.add(session);
    if (start) engine.start();
    return session;
  }

  /** Tells the renderer of a change of the account list (counts, states, the active one). */
  private announceAccounts(): void {
    const summaries = this.accounts.changedSummaries();
    if (summaries) this.emit('accounts', summaries);
  }

  /** Makes an open account the active one: the renderer, and the new-work watcher, follow. */
  private switchTo(session: AccountSession): SessionInfo {
    const changed = this.accounts.registry.activeId !== session.id;
    this.accounts.registry.activate(session.id, this.clock().toISOString());
    if (changed) this.activeChanged();
    return this.sessionInfo(session);
  }

  /** Another account (or none) is the active one now. */
  private activeChanged(): void {
    const active = this.active;
    if (active) this.emit('syncStatus', this.sent(active.snapshot));
    this.emit('replicaChanged', { ticketIds: null });
    this.announceAccounts();
  }

  /**
   * Signs in to an account and makes it the active one. Signed in here already (its session
   * ended: a revoked refresh token, a new password), it keeps its replica and outbox, so nothing
   * queued offline is lost; any other account is added, and the others stay signed in.
   */
  private async signInTo(input: SignInInput): Promise<SessionInfo> {
    const login = { tenant: input.tenant, email: input.email, password: input.password };
    const known = this.accounts.all().find((session) => this.isSameAccount(session, input));
    if (known) return this.resume(known, await known.client.login(login));
    const client = this.clientFor(input.serverUrl, input.caCertificate ?? null);
    try {
      const tokens = await client.login(login);
      const stored = {
        serverUrl: client.origin,
        tenant: tokens.tenant,
        user: tokens.user,
        caCertificate: input.caCertificate ?? null,
        allowInsecureLoopback: this.options.allowInsecureLoopback ?? false,
      };
      const id = accountIdOf(stored);
      // The same user under another email than this machine knows (changed elsewhere): one
      // replica has one engine, so the tokens go to the account already open.
      const open = this.accounts.get(id);
      if (open) {
        client.close();
        return await this.resume(open, tokens);
      }
      const registered = this.accounts.registry.get(id);
      const entry = registered
        ? { ...registered, ...stored }
        : newEntry(stored, id, this.clock().toISOString());
      this.accounts.registry.put(entry);
      // The engine starts only once the refresh token is in the keychain: started earlier, its
      // first cycle found no token there and asked to sign in again, right after signing in.
      const session = this.activate(entry, client, false);
      try {
        await session.tokens.adopt(tokens);
      } catch (error) {
        await this.wipe(id).catch(() => undefined);
        throw error;
      }
      session.engine.start();
      return this.switchTo(session);
    } catch (error) {
      if (!this.accounts.all().some((session) => session.client === client)) client.close();
      throw error;
    }
  }

  /** A new log-in of an open account: its engine runs again, and it becomes the active one. */
  private async resume(session: AccountSession, tokens: TokenResponse): Promise<SessionInfo> {
    await session.tokens.adopt(tokens);
    session.engine.start();
    session.engine.requestSync();
    return this.switchTo(session);
  }

  /**
   * Removes every trace of an account on this machine: its keychain entry, its folder (replica,
   * drafts, attachments) and its registry entry. The other accounts stay as they are.
   */
  private async wipe(id: string): Promise<void> {
    const session = await this.accounts.close(id);
    if (!session) return;
    const wasActive = this.accounts.registry.activeId === id;
    try {
      await this.options.credentials.delete(session.account);
    } finally {
      // Even when the keychain fails, the tenant's data does not stay on disk.
      rmSync(session.dir, { recursive: true, force: true });
      this.accounts.registry.remove(id);
      if (wasActive) this.activeChanged();
      else this.announceAccounts();
    }
  }

  /** The active account, for the calls of the offline window. */
  private windowAccount(): offlineWindow.WindowAccount {
    const { replica, engine, client, tokens, stored } = this.requireSession();
    const cache = this.attachmentCache(stored);
    return { replica, engine, client, tokens, cache, userId: stored.user.id, now: this.clock() };
  }

  private attachmentCache(stored: AccountEntry): AttachmentCache {
    return new AttachmentCache(
      attachmentCacheDir(accountDir(this.options.dataDir, stored.id), {
        serverUrl: stored.serverUrl,
        tenantId: stored.tenant.id,
        userId: stored.user.id,
      }),
    );
  }

  /**
   * The service changed the user's email, which is part of the keychain account's name: the
   * refresh token moves to the new name (written there before the old entry goes, so it is never
   * lost), then the session file and the session follow, and a sync brings the new `user` and
   * `profile` rows. If the keychain fails, everything here stays on the old name, which goes on
   * working, and the person is told.
   */
  private async adoptEmail(active: AccountSession, user: SessionUser): Promise<void> {
    const { credentials } = this.options;
    const account = accountKey(active.stored.serverUrl, active.stored.tenant.slug, user.email);
    try {
      await active.tokens.moveAccount(account, async (from, to) => {
        if (from === to) return;
        const refreshToken = await credentials.get(from);
        if (refreshToken) await credentials.set(to, refreshToken);
        // A copy left behind is spent by the next rotation: not worth failing the change for.
        await credentials.delete(from).catch(() => false);
      });
    } catch (error) {
      throw new BridgeError(
        'keychain_failed',
        `Your email is now ${user.email}, but the sign-in could not be moved in the OS keychain ` +
          `(${error instanceof Error ? error.message : String(error)}). You stay signed in; if ` +
          'asked to sign in again, sign out first, then sign in with the new email.',
      );
    }
    active.account = account;
    active.stored = { ...active.stored, user };
    this.accounts.registry.put(active.stored);
    this.announceAccounts();
    active.engine.emit();
    active.engine.requestSync();
  }

  private readonly handlers: Handlers = {
    getAppInfo: async () =>
      this.options.appInfo ?? { version: '0.0.0', shell: 'electron', signInDefaults: null },

    signIn: async (input) => {
      if (this.active && !this.isSameAccount(this.active, input))
        throw new BridgeError(
          'already_signed_in',
          'Sign out before signing in to another account, or add it as another account.',
        );
      return this.signInTo(input);
    },
    addAccount: async (input) => this.signInTo(input),
    listAccounts: async () => this.accounts.summaries(),
    switchAccount: async ({ id }) => {
      const session = this.accounts.get(id);
      if (!session) throw new BridgeError('not_found', 'That account is not signed in here.');
      return this.switchTo(session);
    },

    signOut: async (input) => {
      const active =
        input.accountId === undefined ? this.requireSession() : this.accounts.get(input.accountId);
      if (!active) throw new BridgeError('not_found', 'That account is not signed in here.');
      if (active.replica.counts().pending > 0) await active.engine.syncNow();
      // Unsent changes, unresolved conflicts or rejections and held replies are all work the
      // agent would lose.
      const { pending, needsAttention } = active.replica.counts();
      const unsaved = pending + needsAttention + active.replica.held.count();
      if (unsaved > 0 && !input.discardPending) {
        return { status: 'pending-changes', pending: unsaved };
      }
      active.engine.stop();
      const refreshToken = await this.options.credentials.get(active.account);
      if (refreshToken) await active.client.logout(refreshToken).catch(() => undefined);
      active.tokens.clear();
      await this.wipe(active.id);
      return { status: 'signed-out' };
    },

    getSession: async () => (this.active ? this.sessionInfo(this.active) : null),
    getSyncStatus: async () => this.sent(this.requireSession().engine.snapshot()),
    syncNow: async () => {
      const { engine } = this.requireSession();
      await engine.syncNow();
      return this.sent(engine.snapshot());
    },

    listTickets: async (query) =>
      listTickets(this.requireSession().replica.db, query, this.requireSession().stored.user.id),
    searchTickets: async ({ text, ...paging }) => {
      const { replica, stored } = this.requireSession();
      const result = searchTickets(replica.db, text, stored.user.id, paging);
      if (!result.ok) throw new BridgeError('bad_request', result.message);
      return result.page;
    },

    getTicket: async ({ id }) => {
      const { replica, stored } = this.requireSession();
      const ticket = replica.ticket(id);
      if (!ticket) return null;
      const reader = replica.reader();
      const cache = this.attachmentCache(stored);
      return {
        ticket,
        comments: replica.projection.commentsOf(id),
        requester: reader.get('contact', ticket.requesterId),
        assignee: ticket.assigneeId ? reader.get('user', ticket.assigneeId) : null,
        needsAttention: replica
          .needsAttention()
          .filter((item) => item.entity === 'ticket' && item.entityId === id),
        heldReplies: replica.held.list(id),
        attachments: replica.projection
          .attachmentsOf(id)
          .map((attachment) => ({ ...attachment, cached: cache.has(attachment) })),
        keptOffline: !replica.window.isOutside(ticket.updatedAt, this.clock()),
      };
    },

    mutate: async ({ name, args }) => {
      const { replica, engine } = this.requireSession();
      const result = replica.mutate(name, args, this.clock().toISOString());
      engine.emit();
      engine.requestSync();
      return result;
    },

    undo: async () => {
      const { replica, engine } = this.requireSession();
      const result = replica.undoLast(this.clock().toISOString());
      engine.emit();
      engine.requestSync();
      return result;
    },

    listNeedsAttention: async () => this.requireSession().replica.needsAttention(),
    resolveNeedsAttention: async ({ id, choice }) => {
      const { replica, engine } = this.requireSession();
      replica.resolveAttention(id, choice, this.clock().toISOString());
      engine.emit();
      engine.requestSync();
      return {};
    },

    listUsers: async () => this.requireSession().replica.all('user'),
    listContacts: async () => this.requireSession().replica.all('contact'),
    getProfile: async () => {
      const { replica, stored } = this.requireSession();
      return replica.editable('profile', stored.user.id);
    },
    getCompany: async () => {
      const { replica, stored } = this.requireSession();
      return replica.editable('company', stored.tenant.id);
    },
    getPreferences: async () => {
      const { replica, stored } = this.requireSession();
      return replica.editable('preferences', stored.user.id);
    },

    changeEmail: async ({ newEmail, currentPassword }) => {
      const active = this.requireSession();
      const { user } = await active.client.changeEmail(
        { currentPassword, newEmail },
        await active.tokens.current(),
      );
      await this.adoptEmail(active, user);
      return this.sessionInfo(active);
    },

    changePassword: async ({ currentPassword, newPassword }) => {
      const { client, tokens, stored } = this.requireSession();
      // The service checks again; asking it first would only turn a known "no" into a round trip.
      const problem = passwordProblem(newPassword, {
        email: stored.user.email,
        tenantSlug: stored.tenant.slug,
      });
      if (problem) {
        throw new BridgeError('weak_password', problem.message, [
          { path: 'newPassword', message: problem.rule },
        ]);
      }
      await client.changePassword({ currentPassword, newPassword }, await tokens.current());
      return {};
    },

    exportMyData: async () => {
      const { client, tokens } = this.requireSession();
      const data = await client.exportAccount(await tokens.current());
      return {
        fileName: `helpdesk-export-${data.generatedAt.slice(0, 10)}.json`,
        json: JSON.stringify(data, null, 2),
      };
    },

    listLoginHistory: async ({ scope }) => {
      const { client, tokens } = this.requireSession();
      return client.loginHistory(scope, await tokens.current());
    },

    listMacros: async () =>
      this.requireSession()
        .replica.all('macro')
        .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id)),
    applyMacro: async ({ ticketId, macroId }) => {
      const { replica, engine, stored } = this.requireSession();
      const request = { ticketId, macroId, agent: stored.user, newId: randomUUID };
      const result = replica.mutateAll(
        (rows) => planMacro(rows, request),
        this.clock().toISOString(),
      );
      engine.emit();
      engine.requestSync();
      return result;
    },
    openAttachment: async ({ id }) => {
      const { replica, stored, client, tokens } = this.requireSession();
      return openAttachment(
        {
          rows: replica.reader(),
          cache: this.attachmentCache(stored),
          download: async (attachment) =>
            client.downloadAttachment(attachment.id, await tokens.current(), ATTACHMENT_MAX_BYTES),
        },
        id,
      );
    },

    mutateMany: async ({ items }) => {
      const { replica, engine } = this.requireSession();
      const result = mutateEach(replica, items, this.clock().toISOString());
      queued(engine);
      return result;
    },
    listHeldReplies: async () => this.requireSession().replica.held.list(),
    resolveHeldReply: async (input) => {
      const { replica, engine } = this.requireSession();
      const result = resolveHeldReply(replica, input, this.clock().toISOString());
      queued(engine);
      return result;
    },

    getDraft: async ({ ticketId }) => getDraft(this.requireSession().replica.db, ticketId),
    saveDraft: async (draft) => {
      saveDraft(this.requireSession().replica.db, draft, this.clock().toISOString());
      return {};
    },

    listSavedViews: async () => {
      const { replica, stored } = this.requireSession();
      return listSavedViews(replica.db, stored.user.id);
    },
    saveView: async (input) => {
      const { replica, stored } = this.requireSession();
      return saveView(replica.db, input, stored.user.id, this.clock().toISOString(), randomUUID);
    },
    deleteView: async ({ id }) => {
      deleteView(this.requireSession().replica.db, id);
      return {};
    },

    getLocalDataUsage: async () => {
      const { replica, stored } = this.requireSession();
      return {
        replicaBytes: replicaBytes(replica.file),
        attachmentBytes: folderBytes(this.attachmentCache(stored).dir),
        pending: replica.counts().pending,
        accounts: accountsDiskUsage(this.options.dataDir, this.accounts.registry.list()),
      };
    },

    resetLocalData: async () => {
      const { stored } = this.requireSession();
      // Between cycles only: a pull under way would move the cursor on past the reset.
      await this.accounts.close(stored.id);
      let pendingKept: number;
      try {
        pendingKept = restartReplicaFromZero(
          accountDir(this.options.dataDir, stored.id),
          replicaIdentityOf(stored),
        );
        this.attachmentCache(stored).remove();
      } finally {
        this.activate(stored);
      }
      this.log.info('local-data.reset', { pendingKept });
      return { pendingKept };
    },

    getOfflineWindow: async () => offlineWindow.getOfflineWindow(this.requireSession()),
    setOfflineWindow: async ({ months }) =>
      offlineWindow.setOfflineWindow(this.windowAccount(), months),
    fetchTicket: async ({ ref }) => offlineWindow.fetchTicket(this.windowAccount(), ref),
    searchOlderTickets: async ({ text }) =>
      offlineWindow.searchOlderTickets(this.windowAccount(), text),

    copyDiagnostics: async () => {
      const active = this.active;
      const { user, tenant, serverUrl } = active?.stored ?? {};
      return {
        text: diagnosticsReport({
          app: await this.handlers.getAppInfo({}),
          system: systemInfo(),
          account:
            user && tenant && serverUrl
              ? { serverUrl, tenant: tenant.slug, email: user.email, role: user.role }
              : null,
          sync: active ? active.engine.snapshot() : null,
          logLines: this.options.diagnostics?.tail(DIAGNOSTICS_LOG_LINES) ?? [],
          generatedAt: this.clock().toISOString(),
        }),
      };
    },

    getUpdateStatus: async () => this.updates.status(),
    checkForUpdates: async () => this.updates.check(),
    downloadUpdate: async () => this.updates.download(),
    setUpdatePreferences: async ({ autoDownload }) => this.updates.setAutoDownload(autoDownload),
    restartToUpdate: async () => {
      await this.updates.restart(
        () => this.close(),
        () => this.restore(),
      );
      return {};
    },
    getDeviceSettings: async () => this.deviceSettings.get(),
    updateDeviceSettings: async (change) => this.deviceSettings.update(change),
    reportRendererError: async (error) => {
      this.log.error('renderer.error', error);
      return {};
    },
  };
}

/** How much of the log a diagnostics report carries. */
const DIAGNOSTICS_LOG_LINES = 200;

/** The outbox or the held replies changed: counts go out now, and a sync runs soon. */
function queued(engine: SyncEngine): void {
  engine.emit();
  engine.requestSync();
}

function readCa(ca: string): string[] {
  try {
    return loadCaCertificates(ca);
  } catch (error) {
    throw new BridgeError('bad_request', error instanceof Error ? error.message : String(error));
  }
}

function toBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  if (error instanceof LocalMutationError)
    return new BridgeError(error.code, error.message, error.details);
  if (ServiceError.is(error, 'http') && error.code === 'upgrade_required')
    return new BridgeError('upgrade_required', upgradeRequiredMessage(error.minVersion));
  if (error instanceof ServiceError) {
    return new BridgeError(
      error.kind === 'http' ? (error.code ?? 'http') : error.kind,
      error.message,
    );
  }
  // The renderer shows the sign-in form for this code (the engine's status says the same).
  if (error instanceof SignInRequiredError) return new BridgeError('needs_sign_in', error.message);
  return new BridgeError('internal', error instanceof Error ? error.message : String(error));
}
