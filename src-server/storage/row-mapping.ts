import type { LoginEvent } from '../../src-shared/domain/entities';
import type { Role } from '../../src-shared/domain/enums';
import type { ProcessedResult } from '../../src-shared/protocol/sync';
import type {
  MutationRecord,
  OperatorRow,
  PasswordSetup,
  RefreshTokenRow,
  SessionAuth,
  SupportAccessRow,
  SyncClient,
  TenantRow,
  UserRow,
} from './storage';

/**
 * Database rows to the records of the Storage interface, for both dialects: the tables have the
 * same columns in SQLite and PostgreSQL, and differ only in how a boolean comes back.
 */

/** A boolean column: PostgreSQL's BOOLEAN, or SQLite's 0/1. */
export type DbFlag = boolean | number;

export function flag(value: DbFlag | null | undefined): boolean {
  return value === true || value === 1;
}

/** A JSON column, or null. */
export function parseJson<T>(text: string | null | undefined): T | null {
  return text === null || text === undefined ? null : (JSON.parse(text) as T);
}

/** The name in a synced record's JSON (read in JS: SQLite's JSON functions mangle lone surrogates). */
export function nameIn(record: string | null | undefined): string | null {
  const name = parseJson<{ name?: unknown }>(record)?.name;
  return typeof name === 'string' ? name : null;
}

/** Tenants with their company record, whose name is the tenant's. */
export const TENANT_SELECT = `
  SELECT t.*, r.data AS record FROM tenants t
  LEFT JOIN records r ON r.tenant_id = t.id AND r.entity = 'company' AND r.id = t.id`;

export interface TenantDbRow {
  id: string;
  slug: string;
  epoch: string;
  last_seq: number;
  purged_seq: number;
  created_at: string;
  record: string | null;
}

export function tenantFrom(row: TenantDbRow | undefined): TenantRow | null {
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: nameIn(row.record) ?? row.slug,
    epoch: row.epoch,
    lastSeq: row.last_seq,
    purgedSeq: row.purged_seq,
    createdAt: row.created_at,
  };
}

/** Users with their synced `user` record, whose name is the user's. */
export const USER_SELECT = `
  SELECT u.*, r.data AS record FROM users u
  LEFT JOIN records r ON r.tenant_id = u.tenant_id AND r.entity = 'user' AND r.id = u.id`;

export interface UserDbRow {
  tenant_id: string;
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  active: DbFlag;
  visibility_version: number;
  must_set_password: DbFlag;
  created_at: string;
  record: string | null;
}

export function userFrom(row: UserDbRow | undefined): UserRow | null {
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: nameIn(row.record) ?? row.email,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role,
    active: flag(row.active),
    visibilityVersion: row.visibility_version,
    mustSetPassword: flag(row.must_set_password),
    createdAt: row.created_at,
  };
}

export const SESSION_AUTH_SELECT = `
  SELECT s.id, s.tenant_id, s.user_id, s.revoked_at, u.role, u.active, u.visibility_version
  FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id`;

export interface SessionAuthDbRow {
  id: string;
  tenant_id: string;
  user_id: string;
  revoked_at: string | null;
  role: Role;
  active: DbFlag;
  visibility_version: number;
}

export function sessionAuthFrom(row: SessionAuthDbRow | undefined): SessionAuth | null {
  if (!row) return null;
  return {
    sessionId: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    revoked: row.revoked_at !== null,
    role: row.role,
    active: flag(row.active),
    visibilityVersion: row.visibility_version,
  };
}

/** A refresh token joined with its session's user and its child's times. */
export function refreshTokenFrom(
  row: Record<string, string | null> | undefined,
): RefreshTokenRow | null {
  if (!row) return null;
  return {
    id: row.id!,
    sessionId: row.session_id!,
    tenantId: row.tenant_id!,
    userId: row.user_id!,
    issuedAt: row.issued_at!,
    expiresAt: row.expires_at!,
    usedAt: row.used_at ?? null,
    usedByClient: row.used_by_client ?? null,
    childId: row.child_id ?? null,
    childIssuedAt: row.child_issued_at ?? null,
    childUsedAt: row.child_used_at ?? null,
  };
}

export function passwordSetupFrom(
  row: { token_hash: string; created_at: string; expires_at: string } | undefined,
): PasswordSetup | null {
  return row
    ? { tokenHash: row.token_hash, createdAt: row.created_at, expiresAt: row.expires_at }
    : null;
}

export function loginEventFrom(row: Record<string, string | DbFlag | null>): LoginEvent {
  return {
    id: row.id as string,
    at: row.at as string,
    email: row.email_key as string,
    userId: (row.user_id as string | null) ?? null,
    ip: row.ip as string,
    userAgent: (row.user_agent as string | null) ?? null,
    clientId: (row.client_id as string | null) ?? null,
    success: flag(row.success as DbFlag),
    reason: row.reason as LoginEvent['reason'],
  };
}

export function mutationRecordFrom(
  row: { hash: string; result: string | null } | undefined,
): MutationRecord | null {
  if (!row) return null;
  return { hash: row.hash, result: parseJson<ProcessedResult>(row.result) };
}

export interface OperatorDbRow {
  id: string;
  email: string;
  password_hash: string;
  active: DbFlag;
  created_at: string;
}

export function operatorFrom(row: OperatorDbRow | undefined): OperatorRow | null {
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    active: flag(row.active),
    createdAt: row.created_at,
  };
}

export function supportAccessFrom(row: Record<string, string | null>): SupportAccessRow {
  return {
    id: row.id!,
    tenantId: row.tenant_id!,
    operatorId: row.operator_id!,
    operatorEmail: row.operator_email!,
    at: row.at!,
    reason: row.reason!,
    scope: row.scope as SupportAccessRow['scope'],
    ticketId: row.ticket_id ?? null,
  };
}

/** How stale `sync_clients.last_seen_at` may get before a request writes it again. */
const LAST_SEEN_PRECISION_MS = 3_600_000;

export interface SyncClientDbRow {
  user_id: string;
  last_mutation_id: number;
  last_seen_at: string;
}

/**
 * The client a request binds to when nothing needs writing, else null. Every pull and push binds:
 * writing (and flushing) last_seen_at each time made every request a write transaction, most of
 * the service's time under load. It only has to be fresh enough for forgetting clients unseen for
 * months, so a known client of the same user seen within LAST_SEEN_PRECISION_MS is left as it is
 * (one of another user is refused by the caller, unchanged).
 */
export function boundWithoutWrite(
  known: SyncClientDbRow | undefined,
  userId: string,
  now: string,
): SyncClient | null {
  const fresh =
    known !== undefined &&
    (known.user_id !== userId ||
      Date.parse(now) - Date.parse(known.last_seen_at) < LAST_SEEN_PRECISION_MS);
  return fresh ? { userId: known.user_id, lastMutationId: known.last_mutation_id } : null;
}
