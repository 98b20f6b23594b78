import { z } from 'zod';
import { SessionUser, TenantSummary } from '../protocol/auth';
import { SyncSnapshot } from './sync-status';

/** Who is signed in: one account, i.e. one user of one tenant of one service. */
export const SessionInfo = z.object({
  serverUrl: z.string(),
  tenant: TenantSummary,
  user: SessionUser,
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/**
 * An account on this machine: a hash of the service's origin, the tenant's id and the user's id
 * (ids, so that an email change keeps it), which also names its data folder.
 */
export const AccountId = z.string().regex(/^[0-9a-f]{32}$/, 'must be an account id');

/** A signed-in account as the account switcher shows it, with its own sync state and counts. */
export const AccountSummary = SessionInfo.extend({
  id: AccountId,
  label: z.string(),
  /** The account the workspace shows and the other calls act on. */
  active: z.boolean(),
  /** Every signed-in account keeps syncing, the others in the background. */
  sync: SyncSnapshot,
});
export type AccountSummary = z.infer<typeof AccountSummary>;

/** What one account keeps on this machine, all of its folder: replica, drafts, attachments. */
export const AccountDiskUsage = z.object({
  id: AccountId,
  label: z.string(),
  email: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type AccountDiskUsage = z.infer<typeof AccountDiskUsage>;
