import type {
  Attachment,
  Comment,
  Company,
  EntityName,
  LoginEvent,
  Ticket,
} from '../../src-shared/domain/entities';
import type { Role, TicketStatus } from '../../src-shared/domain/enums';
import type { PreparedMutation } from '../../src-shared/mutators/registry';
import type {
  MutationBase,
  MutationContext,
  MutationOutcome,
} from '../../src-shared/mutators/types';
import type { SupportAccessScope } from '../../src-shared/protocol/operator';
import type { ProcessedResult } from '../../src-shared/protocol/sync';
import type { TicketRef, TicketThread } from '../../src-shared/protocol/tickets';
import type { AccountData, MailingListEntry, MailingListName } from './privacy-storage';

/**
 * What the service needs from a database: SQLite (./sqlite) and PostgreSQL (./postgres) implement
 * it, with the logic that does not depend on the dialect shared (row mapping, the rows of a user,
 * page shaping, privacy rules: the other modules of this folder). Every method is one transaction.
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
  /** Invited or reset: logs in only after setting a password with a setup token. */
  mustSetPassword: boolean;
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

export interface NewSession {
  id: string;
  tenantId: string;
  userId: string;
  device: string | null;
  createdAt: string;
}

export interface NewRefreshToken {
  id: string;
  sessionId: string;
  issuedAt: string;
  expiresAt: string;
}

/** A one-time password setup token, by its SHA-256 (the token itself is never stored). */
export interface PasswordSetup {
  tokenHash: string;
  createdAt: string;
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
  /** Leaves out tickets updated before this time, with their comments and attachments. */
  updatedSince?: string | null;
}

/** A search of the tenant's live tickets (see TicketSearchQuery). */
export interface TicketSearch {
  /** Each must appear in the subject or the description (ASCII letters in any case). */
  words: string[];
  /** Only tickets last updated before this time. */
  updatedBefore: string | null;
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
  /**
   * Changes the user and their synced `user` and `profile` rows. Throws AlreadyExistsError when
   * `email` is taken in the tenant (ignoring case) by another user, and LastAdminError when the
   * change would leave the tenant without an active admin: checked in the same transaction as the
   * update, so that two admins demoting each other at once cannot both succeed.
   */
  updateUser(
    tenantId: string,
    userId: string,
    change: { role?: Role; active?: boolean; email?: string },
    now: string,
  ): Promise<UserRow | null>;
  /** Replaces the password hash and revokes every session of the user except `keepSessionId`. */
  changePassword(
    tenantId: string,
    userId: string,
    passwordHash: string,
    keepSessionId: string,
    now: string,
  ): Promise<void>;
  /**
   * Makes the user set a password: replaces the hash (the old password stops working), stores the
   * setup token (replacing any earlier one) and revokes every session of the user.
   */
  requirePasswordSetup(
    tenantId: string,
    userId: string,
    passwordHash: string,
    setup: PasswordSetup,
  ): Promise<void>;
  getPasswordSetup(tenantId: string, userId: string): Promise<PasswordSetup | null>;
  /** Uses up the setup token `tokenHash` and sets the password; false if it was already used. */
  completePasswordSetup(
    tenantId: string,
    userId: string,
    tokenHash: string,
    passwordHash: string,
  ): Promise<boolean>;

  createSession(session: NewSession, firstToken: NewRefreshToken): Promise<void>;
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
  /** A live ticket of the tenant with its live comments and attachments, or null. */
  ticketThread(tenantId: string, ref: TicketRef): Promise<TicketThread | null>;
  /** Live tickets of the tenant matching the search, most recently updated first. */
  searchTickets(tenantId: string, search: TicketSearch): Promise<Ticket[]>;
  /** Calls back with the tenant's new last seq after each commit that moved its change log. */
  watch(tenantId: string, listener: (lastSeq: number) => void): () => void;

  /** Service staff: outside every tenant. Throws AlreadyExistsError when the email is taken. */
  createOperator(operator: NewOperator): Promise<void>;
  findOperatorByEmail(email: string): Promise<OperatorRow | null>;
  getOperator(id: string): Promise<OperatorRow | null>;
  recordOperatorLogin(event: OperatorLoginEvent): Promise<void>;
  operatorFailuresForEmail(email: string, since: string): Promise<FailureWindow>;
  operatorFailuresForIp(ip: string, since: string): Promise<FailureWindow>;
  /**
   * Writes the audit row, then reads what it names, in one transaction: a read without its row
   * cannot happen. An access to a ticket that does not exist is recorded and answers null.
   */
  openSupportAccess(access: NewSupportAccess): Promise<SupportAccessRead | null>;
  listSupportAccess(tenantId: string, limit: number): Promise<SupportAccessRow[]>;

  /** Bulk load for demo and benchmark data: records are written with fresh seqs, no mutators. */
  seedRecords(tenantId: string, records: SeedRecord[], now: string): Promise<void>;
  /** `tenantId` null: across every tenant, for the service's own usage statistics. */
  ticketStats(
    tenantId: string | null,
    sinceDay: string,
  ): Promise<{ byDay: DayStatsRow[]; byStatus: StatusStatsRow[] }>;
  countActiveUsers(tenantId: string | null, since: string): Promise<number>;

  /** Log-in events older than `before` are deleted (retention); returns how many. */
  purgeLoginEvents(before: string): Promise<number>;
  /** Active users whose communication preferences allow the list: email and name only. */
  mailingList(list: MailingListName): Promise<MailingListEntry[]>;
  /** What the service holds about one user, for "export my data"; null if no such user. */
  accountData(tenantId: string, userId: string): Promise<AccountData | null>;

  /**
   * Stores an attachment's content and writes its metadata row through the change log (so that it
   * syncs), in one transaction. Writes nothing when the ticket, or that comment of it, is missing.
   */
  addAttachment(
    tenantId: string,
    attachment: Attachment,
    content: Buffer,
  ): Promise<'added' | 'no_ticket' | 'no_comment'>;
  /** A live attachment of the tenant with its content, or null. */
  getAttachment(
    tenantId: string,
    id: string,
  ): Promise<{ attachment: Attachment; content: Buffer } | null>;

  /** Retention: tombstones and mutation results older than `before`, clients unseen since `clientsBefore`. */
  purge(before: string, clientsBefore: string): Promise<void>;
}

export interface NewOperator {
  id: string;
  email: string;
  passwordHash: string;
  createdAt: string;
}

export interface OperatorRow extends NewOperator {
  active: boolean;
}

export interface OperatorLoginEvent {
  id: string;
  at: string;
  email: string;
  operatorId: string | null;
  ip: string;
  success: boolean;
  reason: 'ok' | 'bad_credentials' | 'rate_limited';
}

export interface SupportAccessRow {
  id: string;
  tenantId: string;
  operatorId: string;
  operatorEmail: string;
  at: string;
  reason: string;
  scope: SupportAccessScope;
  ticketId: string | null;
}

export interface NewSupportAccess extends SupportAccessRow {
  /** How many tickets a `ticket_list` access reads (the most recently changed). */
  listLimit: number;
}

export type SupportAccessRead =
  | { scope: 'ticket_list'; tickets: Ticket[] }
  | { scope: 'ticket'; ticket: Ticket; comments: Comment[] };

export class AlreadyExistsError extends Error {}

/** A change to a user that would leave their tenant without an active admin. */
export class LastAdminError extends Error {
  constructor() {
    super('A tenant needs at least one active admin.');
  }
}
