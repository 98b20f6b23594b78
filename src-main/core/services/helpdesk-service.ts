import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import {
  BRIDGE_INVOKE,
  type BridgeCall,
  type BridgeEvent,
  type BridgeEventPayload,
  type BridgeInput,
  type AppInfo,
  type BridgeOutput,
  type SessionInfo,
} from '../../../src-shared/bridge/contract';
import { passwordProblem } from '../../../src-shared/auth/password-policy';
import { ATTACHMENT_MAX_BYTES } from '../../../src-shared/protocol/attachments';
import type { SessionUser } from '../../../src-shared/protocol/auth';
import { AttachmentCache, attachmentCacheDir } from '../attachments/attachment-cache';
import { openAttachment } from '../attachments/open-attachment';
import { accountKey, type CredentialStore } from '../credentials/credential-store';
import { ServiceClient, type ServiceClientOptions } from '../net/service-client';
import { ServiceError, upgradeRequiredMessage } from '../net/service-error';
import { loadCaCertificates } from '../net/tls-agent';
import {
  deleteReplicaFiles,
  LocalMutationError,
  openReplica,
  type Replica,
} from '../replica/replica';
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
import { folderBytes, replicaBytes, replicaIdentityOf, restartReplicaFromZero } from './local-data';
import { NewWorkWatcher } from './new-work-notices';
import { deleteSession, readSession, writeSession, type StoredSession } from './session-file';

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
}

interface ActiveSession {
  stored: StoredSession;
  account: string;
  client: ServiceClient;
  replica: Replica;
  tokens: TokenSession;
  engine: SyncEngine;
  unsubscribe: () => void;
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
  private active: ActiveSession | null = null;
  private readonly events = new EventEmitter();
  private readonly clock: () => Date;
  private readonly log: Logger;

  constructor(private readonly options: HelpdeskServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.log = options.diagnostics ? createLogger(options.diagnostics, this.clock) : NO_LOG;
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // For the service's whole life, across sign-ins (each account starts from its own baseline):
    // both shells get `newWork`; the Electron shell also shows it as native notifications.
    new NewWorkWatcher(this, (notices) => this.emit('newWork', { notices })).start();
  }

  /** Resumes the session of the last run, if any: reading works at once, offline included. */
  async restore(): Promise<SessionInfo | null> {
    const stored = readSession(this.options.dataDir);
    if (!stored || this.active) return this.active ? this.sessionInfo(this.active) : null;
    this.activate(stored);
    return this.sessionInfo(this.active!);
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
    this.active?.engine.networkUp();
  }

  async close(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = null;
    active.unsubscribe();
    // The engine lets go of the replica at its next step; closing the client ends a request in
    // flight at once (rather than at its timeout). Only then is the replica closed under it.
    const engineClosed = active.engine.close();
    active.client.close();
    await engineClosed;
    active.replica.close();
  }

  private isSameAccount(
    active: ActiveSession,
    input: { serverUrl: string; tenant: string; email: string },
  ): boolean {
    try {
      return accountKey(input.serverUrl, input.tenant, input.email) === active.account;
    } catch {
      return false;
    }
  }

  private requireSession(): ActiveSession {
    if (!this.active) throw new BridgeError('not_signed_in', 'Please sign in first.');
    return this.active;
  }

  private sessionInfo(active: ActiveSession): SessionInfo {
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

  private activate(
    stored: StoredSession,
    client = this.clientFor(stored.serverUrl, stored.caCertificate),
    start = true,
  ): ActiveSession {
    const replica = openReplica(this.options.dataDir, replicaIdentityOf(stored));
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
      onAccountDisabled: () => void this.wipe().catch(() => undefined),
    });
    let lastState: string | null = null;
    const unsubscribe = engine.subscribe((snapshot) => {
      if (snapshot.status.state !== lastState) {
        lastState = snapshot.status.state;
        const quiet = ['idle', 'syncing', 'connecting', 'initial-sync'].includes(lastState);
        this.log[quiet ? 'info' : 'warn']('sync.state', {
          ...snapshot.status,
          pending: snapshot.pending,
          needsAttention: snapshot.needsAttention,
        });
      }
      this.emit('syncStatus', snapshot);
      this.emit('replicaChanged', { ticketIds: null });
    });
    this.active = { stored, account, client, replica, tokens, engine, unsubscribe };
    if (start) engine.start();
    return this.active;
  }

  /** Removes every trace of the account on this machine: keychain entry, replica, session file. */
  private async wipe(): Promise<void> {
    const active = this.active;
    if (!active) return;
    await this.close();
    try {
      await this.options.credentials.delete(active.account);
    } finally {
      // Even when the keychain fails, the tenant's data does not stay on disk.
      deleteReplicaFiles(active.replica.file);
      this.attachmentCache(active.stored).remove();
      deleteSession(this.options.dataDir);
    }
  }

  private attachmentCache(stored: StoredSession): AttachmentCache {
    return new AttachmentCache(
      attachmentCacheDir(this.options.dataDir, {
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
  private async adoptEmail(active: ActiveSession, user: SessionUser): Promise<void> {
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
    writeSession(this.options.dataDir, active.stored);
    active.engine.emit();
    active.engine.requestSync();
  }

  private readonly handlers: Handlers = {
    getAppInfo: async () =>
      this.options.appInfo ?? { version: '0.0.0', shell: 'electron', signInDefaults: null },

    signIn: async (input) => {
      if (this.active && this.isSameAccount(this.active, input)) {
        // The session ended (a revoked refresh token, a new password): signing in again keeps the
        // replica and its outbox, so nothing queued offline is lost.
        const active = this.active;
        const tokens = await active.client.login({
          tenant: input.tenant,
          email: input.email,
          password: input.password,
        });
        await active.tokens.adopt(tokens);
        active.engine.start();
        active.engine.requestSync();
        return this.sessionInfo(active);
      }
      if (this.active)
        throw new BridgeError(
          'already_signed_in',
          'Sign out before signing in to another account.',
        );
      const client = this.clientFor(input.serverUrl, input.caCertificate ?? null);
      try {
        const tokens = await client.login({
          tenant: input.tenant,
          email: input.email,
          password: input.password,
        });
        const stored: StoredSession = {
          serverUrl: client.origin,
          tenant: tokens.tenant,
          user: tokens.user,
          caCertificate: input.caCertificate ?? null,
          allowInsecureLoopback: this.options.allowInsecureLoopback ?? false,
        };
        writeSession(this.options.dataDir, stored);
        // The engine starts only once the refresh token is in the keychain: started earlier, its
        // first cycle found no token there and asked to sign in again, right after signing in.
        const active = this.activate(stored, client, false);
        try {
          await active.tokens.adopt(tokens);
        } catch (error) {
          await this.wipe().catch(() => undefined);
          throw error;
        }
        active.engine.start();
        return this.sessionInfo(active);
      } catch (error) {
        if (!this.active) client.close();
        throw error;
      }
    },

    signOut: async (input) => {
      const active = this.requireSession();
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
      await this.wipe();
      return { status: 'signed-out' };
    },

    getSession: async () => (this.active ? this.sessionInfo(this.active) : null),
    getSyncStatus: async () => this.requireSession().engine.snapshot(),
    syncNow: async () => {
      const { engine } = this.requireSession();
      await engine.syncNow();
      return engine.snapshot();
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
      };
    },

    resetLocalData: async () => {
      const { stored } = this.requireSession();
      // Between cycles only: a pull under way would move the cursor on past the reset.
      await this.close();
      let pendingKept: number;
      try {
        pendingKept = restartReplicaFromZero(this.options.dataDir, replicaIdentityOf(stored));
        this.attachmentCache(stored).remove();
      } finally {
        this.activate(stored);
      }
      this.log.info('local-data.reset', { pendingKept });
      return { pendingKept };
    },

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
