import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { SyncSnapshot, SyncStatus } from '../../src-shared/bridge/sync-status';
import type { Comment, Contact, Ticket } from '../../src-shared/domain/entities';
import { parseKnownChange } from '../../src-shared/protocol/sync';
import { accountKey } from '../../src-main/core/credentials/credential-store';
import { ServiceClient, type ServiceClientOptions } from '../../src-main/core/net/service-client';
import { openReplica, type Replica } from '../../src-main/core/replica/replica';
import { TokenSession, type RefreshTokenStore } from '../../src-main/core/session/token-session';
import { SyncEngine, type SyncEngineOptions } from '../../src-main/core/sync/sync-engine';
import type { TokenResponse } from '../../src-shared/protocol/auth';
import type { ApiClient } from './api-client';

/**
 * Shared pieces of the sync integration tests (tests/integration/core/sync, …/services): waiting
 * for an engine state, the service's state as a fresh session pulls it from 0, the same state as a
 * replica shows it, and what the service's own database recorded.
 */

/** A refresh-token store in a Map, for tests about sync rather than the keychain. */
export class MemoryTokens implements RefreshTokenStore {
  readonly map = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.map.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.map.set(account, secret);
  }
}

/** Temporary folders, removed by `cleanup()`. */
export class TempDirs {
  private readonly dirs: string[] = [];
  make(prefix = 'helpdesk-test-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }
  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Polls `probe` until it returns something other than undefined/false; fails with `what` and the
 * last value seen after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Something with a sync snapshot (a SyncEngine). */
export interface HasSnapshot {
  snapshot(): SyncSnapshot;
}

/** Waits until the engine's state is `state` (and `extra` holds); returns that status. */
export function waitForState<S extends SyncStatus['state']>(
  engine: HasSnapshot,
  state: S,
  timeoutMs = 10_000,
  extra: (status: Extract<SyncStatus, { state: S }>) => boolean = () => true,
): Promise<Extract<SyncStatus, { state: S }>> {
  return waitFor(
    `state ${state}`,
    () => {
      const { status } = engine.snapshot();
      return status.state === state && extra(status as Extract<SyncStatus, { state: S }>)
        ? (status as Extract<SyncStatus, { state: S }>)
        : undefined;
    },
    timeoutMs,
  );
}

/** Tickets, comments and contacts of a tenant as one user sees them, by id. */
export interface TenantState {
  tickets: Map<string, Ticket>;
  comments: Map<string, Comment>;
  contacts: Map<string, Contact>;
}

/** What the service holds now: a new session of `email` pulls from 0 to the end. */
export async function serverState(
  api: ApiClient,
  tenant: string,
  email: string,
  pageSize = 2000,
): Promise<TenantState & { pages: number; rows: Map<string, unknown> }> {
  const session = await api.session(tenant, email);
  const pages = await session.pullAll('0', pageSize);
  const state: TenantState = { tickets: new Map(), comments: new Map(), contacts: new Map() };
  const rows = new Map<string, unknown>();
  for (const page of pages) {
    for (const raw of page.changes) {
      const change = parseKnownChange(raw);
      if (!change) continue;
      if (change.op === 'delete') rows.delete(`${change.entity}:${change.id}`);
      else rows.set(`${change.entity}:${change.id}`, change.data);
      const map =
        change.entity === 'ticket'
          ? state.tickets
          : change.entity === 'comment'
            ? state.comments
            : change.entity === 'contact'
              ? state.contacts
              : null;
      if (!map) continue;
      if (change.op === 'delete') map.delete(change.id);
      else (map as Map<string, unknown>).set(change.id, change.data);
    }
  }
  return { ...state, pages: pages.length, rows };
}

/** Every base row of a replica (what the service last said), keyed `entity:id`. */
export function baseRows(replica: Replica): Map<string, unknown> {
  const rows = replica.db.prepare('SELECT entity, id, data FROM base').all() as Array<{
    entity: string;
    id: string;
    data: string;
  }>;
  return new Map(rows.map((row) => [`${row.entity}:${row.id}`, JSON.parse(row.data) as unknown]));
}

/** A map as sorted entries, for a readable toEqual diff. */
export function entries(map: Map<string, unknown>): Array<[string, unknown]> {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** What a replica shows (base + pending), by id. */
export function replicaState(replica: Replica): TenantState {
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  return {
    tickets: byId(replica.all('ticket')),
    comments: byId(replica.all('comment')),
    contacts: byId(replica.all('contact')),
  };
}

/** Sorted arrays for a readable toEqual diff. */
export function sorted<T extends { id: string }>(map: Map<string, T>): T[] {
  return [...map.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The query projection of a replica (what lists and search read), as tickets with the projected
 * columns and tags: it must agree with the effective rows.
 */
export function projectedTickets(replica: Replica): Array<Record<string, unknown>> {
  const rows = replica.db
    .prepare(
      `SELECT t.id, t.number, t.subject, t.status, t.priority, t.type, t.requester_id AS requesterId,
              t.assignee_id AS assigneeId, t.updated_at AS updatedAt,
              (SELECT json_group_array(tag) FROM (SELECT tag FROM ticket_tags g WHERE g.ticket_rowid = t.rowid ORDER BY tag)) AS tags
       FROM tickets t ORDER BY t.id`,
    )
    .all() as Array<Record<string, unknown>>;
  return rows.map((row) => ({ ...row, tags: JSON.parse(row.tags as string) as string[] }));
}

/** The same columns from ticket entities. */
export function ticketColumns(tickets: Iterable<Ticket>): Array<Record<string, unknown>> {
  return [...tickets]
    .map((t) => ({
      id: t.id,
      number: t.number,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      type: t.type,
      requesterId: t.requesterId,
      assigneeId: t.assigneeId,
      updatedAt: t.updatedAt,
      tags: [...t.tags].sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Rows left in the outbox and the overlay: both empty once everything is confirmed and pulled. */
export function leftovers(replica: Replica): { outbox: number; overlay: number } {
  const count = (table: string) =>
    (replica.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { outbox: count('outbox'), overlay: count('overlay') };
}

/** The service's own database, read-only, for what only it knows (mutation records). */
export function openServerDb(dataDir: string): Database {
  return new BetterSqlite3(join(dataDir, 'helpdesk.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
}

export interface MutationRecordRow {
  clientId: string;
  mutationId: number;
  status: string;
}

/** Every mutation the service recorded for one user's clients, in (client, id) order. */
export function mutationRecordsOf(db: Database, userId: string): MutationRecordRow[] {
  const rows = db
    .prepare(
      `SELECT m.client_id AS clientId, m.mutation_id AS mutationId, m.result AS result
       FROM client_mutations m JOIN sync_clients c ON c.tenant_id = m.tenant_id AND c.client_id = m.client_id
       WHERE c.user_id = ? ORDER BY m.client_id, m.mutation_id`,
    )
    .all(userId) as Array<{ clientId: string; mutationId: number; result: string | null }>;
  return rows.map((row) => ({
    clientId: row.clientId,
    mutationId: row.mutationId,
    status: row.result ? (JSON.parse(row.result) as { status: string }).status : 'unknown',
  }));
}

/**
 * The status codes the service answered on paths starting with `pathPrefix`, in order, from its
 * log (fastify logs the url on "incoming request" and the status on "request completed").
 */
export function answeredStatuses(logs: readonly string[], pathPrefix: string): number[] {
  const urls = new Map<string, string>();
  const statuses: number[] = [];
  for (const line of logs) {
    let entry: { reqId?: string; req?: { url?: string }; res?: { statusCode?: number } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (!entry.reqId) continue;
    if (entry.req?.url) urls.set(entry.reqId, entry.req.url);
    if (entry.res?.statusCode !== undefined && urls.get(entry.reqId)?.startsWith(pathPrefix)) {
      statuses.push(entry.res.statusCode);
    }
  }
  return statuses;
}

/** Engine tuning for tests: quick backoff, no polling of its own. */
export const TEST_ENGINE: Partial<SyncEngineOptions> = {
  backoff: { baseMs: 50, maxMs: 500 },
  pollEveryMs: 3_600_000,
};

export interface SyncClientSetup {
  /** The real service (log-in goes there, over a client that trusts `ca`). */
  serviceUrl: string;
  ca: string;
  tenant: string;
  email: string;
  dir: string;
  /** Where the engine talks to (a fault proxy, a status server…); the service by default. */
  targetUrl?: string;
  /** Trust and other options of the engine's client (default: trust `ca`). */
  client?: Partial<ServiceClientOptions>;
  store?: RefreshTokenStore;
  account?: string;
  tokenClock?: () => Date;
  engine?: Partial<SyncEngineOptions>;
}

export interface SyncClient {
  replica: Replica;
  engine: SyncEngine;
  api: ServiceClient;
  tokens: TokenSession;
  login: TokenResponse;
  store: RefreshTokenStore;
  account: string;
  /** Closes the engine, the replica and the client. */
  close(): Promise<void>;
}

/** A replica and an engine for one user, signed in (the tokens adopted), not started. */
export async function openSyncClient(setup: SyncClientSetup): Promise<SyncClient> {
  const loginClient = new ServiceClient({ serverUrl: setup.serviceUrl, ca: setup.ca });
  let login: TokenResponse;
  try {
    login = await loginClient.login({
      tenant: setup.tenant,
      email: setup.email,
      password: 'demo-password-1',
    });
  } finally {
    loginClient.close();
  }
  const api = new ServiceClient({
    serverUrl: setup.targetUrl ?? setup.serviceUrl,
    ca: setup.ca,
    ...setup.client,
  });
  const replica = openReplica(setup.dir, {
    serverUrl: setup.serviceUrl,
    tenantId: login.tenant.id,
    tenantSlug: login.tenant.slug,
    userId: login.user.id,
    role: login.user.role,
  });
  const store = setup.store ?? new MemoryTokens();
  const account = setup.account ?? accountKey(setup.serviceUrl, setup.tenant, setup.email);
  const tokens = new TokenSession(
    api,
    store,
    account,
    () => replica.clientId,
    setup.tokenClock ?? (() => new Date()),
  );
  await tokens.adopt(login);
  const engine = new SyncEngine({ replica, api, tokens, ...TEST_ENGINE, ...setup.engine });
  return {
    replica,
    engine,
    api,
    tokens,
    login,
    store,
    account,
    async close() {
      await engine.close();
      replica.close();
      api.close();
    },
  };
}
