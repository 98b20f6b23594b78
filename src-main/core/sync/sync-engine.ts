import { setTimeout as sleep } from 'node:timers/promises';
import {
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../../src-shared/protocol/sync';
import type { TicketThread } from '../../../src-shared/protocol/tickets';
import { ServiceError, upgradeRequiredMessage } from '../net/service-error';
import type { Replica } from '../replica/replica';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { keepWindow } from './window-upkeep';
import type { SyncSnapshot, SyncStatus } from '../../../src-shared/bridge/sync-status';

/** The calls of the service the engine makes (ServiceClient implements them). */
export interface SyncApi {
  pull(
    cursor: string,
    limit: number,
    clientId: string,
    accessToken: string,
    updatedSince?: string | null,
  ): Promise<PullResponse>;
  push(request: PushRequest, clientId: string, accessToken: string): Promise<PushResponse>;
  /** One ticket whole, or null when the service has none (for the offline window). */
  ticketThread?(ref: string, accessToken: string): Promise<TicketThread | null>;
  openEvents?(accessToken: string, onPoke: () => void, signal: AbortSignal): Promise<void>;
}

/** Access tokens for the engine: refreshed ahead of expiry, and once more after a 401. */
export interface AccessTokens {
  current(): Promise<string>;
  refreshAfterUnauthorized(): Promise<string>;
}

/** Thrown by AccessTokens when only a new sign-in can help (refresh token revoked or expired). */
export class SignInRequiredError extends Error {}

export interface SyncEngineOptions {
  replica: Replica;
  api: SyncApi;
  tokens: AccessTokens;
  backoff?: BackoffPolicy;
  random?: () => number;
  clock?: () => Date;
  /** Changes per page during a pull from 0 and afterwards. */
  snapshotPageSize?: number;
  pageSize?: number;
  /** Mutations per push request. */
  pushBatchSize?: number;
  /** How often to sync without a poke or a local change. */
  pollEveryMs?: number;
  /** The service deactivated the account: the owner wipes local data. */
  onAccountDisabled?: () => void;
  /** The offline window let go of tickets: cached attachment contents no ticket refers to. */
  onUnreferenced?: (sha256s: string[]) => void;
}

type Listener = (snapshot: SyncSnapshot) => void;

/** Thrown inside a cycle once the engine is closed: the replica must not be touched any more. */
class EngineClosedError extends Error {}

/**
 * Pushes the outbox and pulls changes whenever there is reason to (a local change, a poke, a
 * timer, the network coming back), with backoff when the service cannot be reached. One cycle at
 * a time; requests during a cycle run one more cycle after it.
 */
export class SyncEngine {
  private status: SyncStatus = { state: 'connecting' };
  private readonly listeners = new Set<Listener>();
  private running = false;
  private stopped = true;
  /** Stopped by a failure (certificate, sign-in, upgrade), not by the owner: a manual sync that
   * succeeds starts the engine again. */
  private halted = false;
  /** The service asked to wait (Retry-After) or backoff is running: no cycle starts before this. */
  private notBefore = 0;
  private closed = false;
  /** Settles when the cycle under way (if any) has ended. */
  private cycleDone: Promise<void> = Promise.resolve();
  /** The last counts read, for a snapshot taken after the replica was closed. */
  private counts = { pending: 0, needsAttention: 0, held: 0 };
  private rerun = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private events: AbortController | undefined;
  private readonly options: Required<
    Omit<SyncEngineOptions, 'onAccountDisabled' | 'onUnreferenced'>
  > &
    Pick<SyncEngineOptions, 'onAccountDisabled' | 'onUnreferenced'>;

  constructor(options: SyncEngineOptions) {
    this.options = {
      backoff: DEFAULT_BACKOFF,
      random: Math.random,
      clock: () => new Date(),
      snapshotPageSize: 2000,
      pageSize: 1000,
      pushBatchSize: 1000,
      pollEveryMs: 60_000,
      ...options,
    };
  }

  snapshot(): SyncSnapshot {
    const { replica } = this.options;
    if (!this.closed && replica.db.open)
      this.counts = { ...replica.counts(), held: replica.held.count() };
    return { status: this.status, ...this.counts };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setStatus(status: SyncStatus): void {
    this.status = status;
    this.emit();
  }

  /** Tells subscribers the counts changed (a local mutation, an undo). */
  emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halted = false;
    this.requestSync();
    this.openEvents();
  }

  /** Stops until the person acts (a new sign-in, a trusted certificate, "sync now"). */
  private halt(): void {
    this.stop();
    this.halted = true;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.events?.abort();
  }

  /**
   * Stops for good and resolves once a cycle under way has let go of the replica (it stops at its
   * next step): only then may the owner close the replica or delete its file.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.cycleDone;
  }

  /** Something changed (a local mutation, a poke, the network is back): sync soon. */
  requestSync(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.schedule(0);
  }

  /** The OS reports the network is back: retry at once instead of waiting out the backoff. */
  networkUp(): void {
    this.attempt = 0;
    if (this.status.state === 'offline') this.notBefore = 0;
    this.requestSync();
  }

  /** Runs one cycle now and resolves when it ends (tests and "sync now"). */
  async syncNow(): Promise<SyncStatus> {
    // A stopped engine runs the cycle without scheduling anything (schedule() checks `stopped`).
    // `stopped` is left alone: a cycle that stops the engine (a certificate error, needs-sign-in)
    // must stay stopped, not be revived by the next requestSync().
    while (this.running) await this.cycleDone;
    this.notBefore = 0;
    await this.runCycle();
    // The person fixed what halted the engine (a certificate, a sign-in): run on by itself again.
    if (this.halted && this.status.state === 'idle' && !this.closed) this.start();
    return this.status;
  }

  /**
   * Runs `change` on the replica between cycles (a pull under way would move on past a restart
   * from 0), then syncs soon.
   */
  async betweenCycles<T>(change: () => T): Promise<T> {
    while (this.running) await this.cycleDone;
    const result = change();
    this.requestSync();
    return result;
  }

  /** Runs a cycle after `delayMs`, but never before the service said it may be asked again. */
  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const delay = Math.max(delayMs, this.notBefore - this.options.clock().getTime());
    this.timer = setTimeout(() => void this.runCycle(), delay);
    this.timer.unref?.();
  }

  private async runCycle(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (this.closed) return;
    this.running = true;
    let done!: () => void;
    this.cycleDone = new Promise((resolve) => (done = resolve));
    try {
      await this.cycle();
      if (this.closed) return;
      this.attempt = 0;
      this.notBefore = 0;
      this.setStatus({ state: 'idle', lastSyncedAt: this.options.clock().toISOString() });
      this.schedule(this.options.pollEveryMs);
    } catch (error) {
      if (!this.closed) this.handleFailure(error);
    } finally {
      this.running = false;
      done();
      if (this.rerun && !this.stopped && this.status.state !== 'needs-sign-in') {
        this.rerun = false;
        this.schedule(0);
      }
    }
  }

  private handleFailure(error: unknown): void {
    const { clock, backoff, random } = this.options;
    const retryIn = (ms: number) => {
      this.notBefore = clock().getTime() + ms;
      this.schedule(ms);
      return new Date(clock().getTime() + ms).toISOString();
    };
    if (error instanceof SignInRequiredError) {
      this.halt();
      this.setStatus({ state: 'needs-sign-in', reason: error.message });
      return;
    }
    if (!(error instanceof ServiceError)) {
      this.setStatus({
        state: 'error',
        code: 'internal',
        reason: String((error as Error)?.message ?? error),
        retryAt: retryIn(backoffDelay(this.attempt++, backoff, random)),
      });
      return;
    }
    if (error.isTls || error.kind === 'insecure_url') {
      // A certificate problem is shown as it is and waits for the person: never retried silently.
      this.halt();
      this.setStatus({ state: 'error', code: error.kind, reason: error.message, retryAt: null });
      return;
    }
    if (error.kind === 'network') {
      this.setStatus({
        state: 'offline',
        reason: error.message,
        retryAt: retryIn(backoffDelay(this.attempt++, backoff, random)),
      });
      return;
    }
    if (error.kind === 'http' && error.code === 'account_disabled') {
      this.stop();
      this.setStatus({
        state: 'needs-sign-in',
        reason: 'This account has been deactivated by an administrator.',
      });
      this.options.onAccountDisabled?.();
      return;
    }
    if (error.kind === 'http' && error.code === 'upgrade_required') {
      this.halt();
      this.setStatus({
        state: 'error',
        code: 'upgrade_required',
        reason: upgradeRequiredMessage(error.minVersion),
        retryAt: null,
        ...(error.minVersion === null ? {} : { minVersion: error.minVersion }),
      });
      return;
    }
    const wait =
      error.retryAfterSeconds !== null
        ? error.retryAfterSeconds * 1000
        : backoffDelay(this.attempt++, backoff, random);
    this.setStatus({
      state: 'error',
      code: error.code ?? error.kind,
      reason: error.message,
      retryAt: retryIn(wait),
    });
  }

  /** Calls the service with a fresh token, refreshing once after a 401. */
  private async authorized<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return this.unlessClosed(await call(await this.options.tokens.current()));
    } catch (error) {
      if (!ServiceError.is(error, 'http') || error.code !== 'unauthorized') throw error;
      return this.unlessClosed(await call(await this.options.tokens.refreshAfterUnauthorized()));
    }
  }

  /** After every await of a cycle: once closed, the replica may be gone. */
  private unlessClosed<T>(value: T): T {
    if (this.closed) throw new EngineClosedError('The sync engine was closed.');
    return value;
  }

  private async cycle(): Promise<void> {
    const { replica } = this.options;
    // Until the first snapshot completes the agent has nothing to work on: say so from the start
    // of the cycle, not only once the first page has arrived.
    if (replica.cursor === '0' || replica.snapshotInProgress) {
      if (this.status.state !== 'initial-sync') {
        this.setStatus({ state: 'initial-sync', done: 0, total: null });
      }
    } else {
      this.setStatus({ state: 'syncing' });
    }
    // A queued public reply goes out only after a pull has shown whether the ticket changed
    // meanwhile (then it is held, see HeldReplies); the rest of the outbox is not kept waiting.
    if (replica.held.guarding()) await this.pullAll();
    await this.pushAll();
    await this.pullAll();
    await this.keepWindow();
    // Mutations made during the pull: send them now rather than at the next poll.
    if (replica.pushBatch(1).length > 0) await this.pushAll();
  }

  private async pushAll(): Promise<void> {
    const { replica, api, clock } = this.options;
    for (;;) {
      const batch = replica.pushBatch(this.options.pushBatchSize);
      if (batch.length === 0) return;
      replica.markSent(
        batch.map((m) => m.id),
        clock().toISOString(),
      );
      let response: PushResponse;
      try {
        const clientId = replica.clientId;
        response = await this.authorized((token) =>
          api.push({ clientId, mutations: batch }, clientId, token),
        );
      } catch (error) {
        if (
          ServiceError.is(error, 'http') &&
          (error.code === 'mutation_gap' || error.status === 403)
        ) {
          // The service no longer knows mutations it acknowledged (restored from a backup), or
          // this client id is not ours: start a new client id and send everything pending again.
          replica.renumber(error.code === 'mutation_gap' ? (error.lastMutationId ?? null) : null);
          this.emit();
          continue;
        }
        throw error;
      }
      replica.applyPushResults(response.results, clock().toISOString());
      this.emit();
      if (replica.epoch !== null && response.epoch !== replica.epoch) replica.restartFromZero();
      if (response.results.length === 0) return;
    }
  }

  /** One pull page from `cursor`, with a fresh token. */
  private fetchPage(cursor: string, initial: boolean): Promise<PullResponse> {
    const { replica, api, snapshotPageSize, pageSize, clock } = this.options;
    const clientId = replica.clientId;
    // A snapshot asks only for the tickets the offline window keeps.
    const since = initial ? replica.window.sinceForPage(cursor, clock()) : null;
    return this.authorized((token) =>
      api.pull(cursor, initial ? snapshotPageSize : pageSize, clientId, token, since),
    );
  }

  /** After a pull: tickets the offline window needs whole are fetched, and the old ones go. */
  private async keepWindow(): Promise<void> {
    const { replica, api, clock, onUnreferenced } = this.options;
    const fetchThread = api.ticketThread?.bind(api);
    const upkeep = await keepWindow(
      replica,
      fetchThread && ((id) => this.authorized((token) => fetchThread(id, token))),
      clock,
      () => this.unlessClosed(undefined),
    );
    if (upkeep.unreferenced.length > 0) onUnreferenced?.(upkeep.unreferenced);
    if (upkeep.more) this.rerun = true;
    this.emit();
  }

  private async pullAll(): Promise<void> {
    const { replica } = this.options;
    let done = 0;
    let restarts = 0;
    // The next page, asked for while this one is written: the service's query, TLS and transfer
    // overlap with the client's SQLite work instead of adding to it. At most one page ahead.
    let ahead: Promise<PullResponse> | null = null;
    for (;;) {
      if (replica.cursor === '0' && !replica.snapshotInProgress) replica.beginSnapshot();
      const initial = replica.snapshotInProgress;
      let page: PullResponse;
      try {
        page = await (ahead ?? this.fetchPage(replica.cursor, initial));
      } catch (error) {
        ahead = null;
        // Start again from 0 once per cycle; a second time in the same cycle goes through backoff,
        // so a service that keeps expiring cursors is not asked again in a tight loop.
        const again = restarts++ === 0;
        if (again && ServiceError.is(error, 'http') && error.code === 'cursor_expired') {
          replica.restartFromZero();
          continue;
        }
        if (again && ServiceError.is(error, 'http') && error.status === 403) {
          replica.renumber(null);
          continue;
        }
        throw error;
      }
      ahead = null;
      const epoch = replica.epoch;
      if (!initial && epoch !== null && page.epoch !== epoch && restarts++ === 0) {
        // The service's data set was restored or reset: everything again from 0, outbox kept.
        replica.restartFromZero();
        continue;
      }
      if (page.hasMore) {
        ahead = this.fetchPage(page.cursor, initial);
        // Settled when awaited above; a cycle that ends first (closed, failed) drops it.
        ahead.catch(() => undefined);
      }
      // Let the main process breathe between pages (each page is one bounded synchronous slice),
      // and let the request for the next page go out first: axios sends it a macrotask later.
      await new Promise((resolve) => setImmediate(resolve));
      this.unlessClosed(undefined);
      const outcome = replica.applyPullPage(page, this.options.clock().toISOString());
      done += page.changes.length;
      if (initial) this.setStatus({ state: 'initial-sync', done, total: done + page.remaining });
      this.emit();
      if (outcome.completed) return;
    }
  }

  private openEvents(): void {
    const { api } = this.options;
    if (!api.openEvents) return;
    const controller = new AbortController();
    this.events = controller;
    void (async () => {
      let attempt = 0;
      while (!controller.signal.aborted && !this.stopped) {
        try {
          const token = await this.options.tokens.current();
          await api.openEvents!(token, () => this.requestSync(), controller.signal);
          attempt = 0;
        } catch (error) {
          if (error instanceof SignInRequiredError) return;
          // A refused token, a disabled account, a certificate problem: a cycle meets the same
          // answer, shows it and stops the engine when it must. Retrying here alone would be a
          // silent retry.
          if (
            ServiceError.is(error) &&
            (error.isTls || error.kind === 'insecure_url' || error.status === 401)
          ) {
            this.requestSync();
          }
          // 429 and 503 say how long to wait: the stream honours Retry-After as cycles do.
          const retryAfterMs =
            ServiceError.is(error) && error.retryAfterSeconds !== null
              ? error.retryAfterSeconds * 1000
              : 0;
          const delay = Math.max(
            retryAfterMs,
            backoffDelay(attempt++, this.options.backoff, this.options.random),
          );
          await sleep(delay, undefined, { signal: controller.signal }).catch(() => undefined);
        }
      }
    })();
  }
}
