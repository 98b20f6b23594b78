import type { Company, EntityName, LoginEvent } from '../../src-shared/domain/entities';
import type { Role, TicketStatus } from '../../src-shared/domain/enums';
import type { PreparedMutation } from '../../src-shared/mutators/registry';
import type {
  MutationBase,
  MutationContext,
  MutationOutcome,
} from '../../src-shared/mutators/types';
import type { ProcessedResult } from '../../src-shared/protocol/sync';

/**
 * What the service needs from a database. SQLite implements it now; PostgreSQL can implement it
 * later without touching routes or services. Every method is one transaction.
 */

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  epoch: string;
  lastSeq: number;
  /** Tombstones with a seq at or below this have been purged: older cursors are expired. */
  purgedSeq: number;
  createdAt: string;
}

export interface UserRow {
  id: string;
  tenantId: string;
  name: string;
  email: string;
  passwordHash: string;
  role: Role;
  active: boolean;
  /** Bumped when what the user may see changes (a role change): their cursors then expire. */
  visibilityVersion: number;
  createdAt: string;
}

export interface NewUser {
  id: string;
  name: string;
  email: string;
  passwordHash: string;
  role: Role;
  phone: string | null;
  title: string | null;
  department: string | null;
  fax: string | null;
  newsletter: boolean;
  productUpdates: boolean;
}

export interface NewTenant {
  id: string;
  slug: string;
  epoch: string;
  company: Company & { seats: number };
  admin: NewUser;
  now: string;
}

export interface SessionAuth {
  sessionId: string;
  tenantId: string;
  userId: string;
  revoked: boolean;
  role: Role;
  active: boolean;
  visibilityVersion: number;
}

export interface RefreshTokenRow {
  id: string;
  sessionId: string;
  tenantId: string;
  userId: string;
  issuedAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedByClient: string | null;
  childId: string | null;
  childIssuedAt: string | null;
  childUsedAt: string | null;
}

export interface NewRefreshToken {
  id: string;
  sessionId: string;
  issuedAt: string;
  expiresAt: string;
}

export type RecordedLoginEvent = LoginEvent & { tenantId: string | null; tenantSlug: string };

export interface FailureWindow {
  count: number;
  oldestAt: string | null;
}

export interface SyncClient {
  userId: string;
  lastMutationId: number;
}

export interface MutationRecord {
  hash: string;
  result: ProcessedResult | null;
}

export interface PullRequestSpec {
  tenantId: string;
  userId: string;
  role: Role;
  clientId: string;
  afterSeq: number;
  /** During a snapshot (pull from 0): tombstones at or below this seq are left out. */
  snapshotSeq: number | null;
  limit: number;
}

export interface PulledChange {
  seq: number;
  entity: EntityName;
  id: string;
  op: 'upsert' | 'delete';
  /** The row's JSON text as stored: pulls pass it through without parsing it again. */
  data: string | null;
}

export interface PullPage {
  changes: PulledChange[];
  /** The seq of the last row looked at (visible or not); the next page starts after it. */
  lastSeq: number;
  hasMore: boolean;
  remaining: number;
  lastMutationId: number;
  tenantLastSeq: number;
}

export interface ProcessMutationSpec {
  tenantId: string;
  clientId: string;
  mutationId: number;
  hash: string;
  ctx: MutationContext;
  /** A mutation rejected before it read anything (bad name or args, not allowed, too large). */
  prepared: PreparedMutation | MutationOutcome;
  base: MutationBase | undefined;
}

export interface SeedRecord {
  entity: EntityName;
  id: string;
  data: Record<string, unknown>;
}

export interface StatusStatsRow {
  status: TicketStatus;
  tickets: number;
  /** Distinct requesters behind the tickets: buckets with few could describe a person. */
  requesters: number;
}

export interface DayStatsRow extends StatusStatsRow {
  day: string;
}

export interface Storage {
  close(): Promise<void>;

  slugExists(slug: string): Promise<boolean>;
  createTenant(tenant: NewTenant): Promise<void>;
  getTenantBySlug(slug: string): Promise<TenantRow | null>;
  getTenant(id: string): Promise<TenantRow | null>;

  findUserByEmail(tenantId: string, email: string): Promise<UserRow | null>;
  getUser(tenantId: string, userId: string): Promise<UserRow | null>;
  /** Throws AlreadyExistsError when the email is taken in the tenant. */
  createUser(tenantId: string, user: NewUser, now: string): Promise<UserRow>;
  updateUser(
    tenantId: string,
    userId: string,
    change: { role?: Role; active?: boolean },
    now: string,
  ): Promise<UserRow | null>;
  countActiveAdmins(tenantId: string): Promise<number>;

  createSession(
    session: {
      id: string;
      tenantId: string;
      userId: string;
      device: string | null;
      createdAt: string;
    },
    firstToken: NewRefreshToken,
  ): Promise<void>;
  getSessionAuth(sessionId: string): Promise<SessionAuth | null>;
  revokeSession(sessionId: string, reason: string, now: string): Promise<void>;
  revokeUserSessions(tenantId: string, userId: string, reason: string, now: string): Promise<void>;
  getRefreshToken(id: string): Promise<RefreshTokenRow | null>;
  /** Marks `parentId` used and stores `child`, only if `parentId` was unused. */
  rotateRefreshToken(
    parentId: string,
    clientId: string,
    child: NewRefreshToken,
    now: string,
  ): Promise<'rotated' | 'already_used'>;

  recordLoginEvent(event: RecordedLoginEvent): Promise<void>;
  failuresForAccount(tenantSlug: string, email: string, since: string): Promise<FailureWindow>;
  failuresForIp(ip: string, since: string): Promise<FailureWindow>;
  listLoginEvents(tenantId: string, userId: string | null, limit: number): Promise<LoginEvent[]>;

  /** Binds a client id to its first user; returns the binding as it stands afterwards. */
  bindClient(tenantId: string, clientId: string, userId: string, now: string): Promise<SyncClient>;
  getMutationRecord(
    tenantId: string,
    clientId: string,
    mutationId: number,
  ): Promise<MutationRecord | null>;
  /** Applies one mutation, records its result and advances the client, all in one transaction. */
  processMutation(spec: ProcessMutationSpec): Promise<ProcessedResult>;
  pull(spec: PullRequestSpec): Promise<PullPage>;
  /** Calls back with the tenant's new last seq after each commit that moved its change log. */
  watch(tenantId: string, listener: (lastSeq: number) => void): () => void;

  /** Bulk load for demo and benchmark data: records are written with fresh seqs, no mutators. */
  seedRecords(tenantId: string, records: SeedRecord[], now: string): Promise<void>;
  ticketStats(
    tenantId: string,
    sinceDay: string,
  ): Promise<{ byDay: DayStatsRow[]; byStatus: StatusStatsRow[] }>;
  countActiveUsers(tenantId: string, since: string): Promise<number>;

  /** Retention: tombstones and mutation results older than `before`, clients unseen since `clientsBefore`. */
  purge(before: string, clientsBefore: string): Promise<void>;
}

export class AlreadyExistsError extends Error {}
