import { z } from 'zod';

/** What the sync engine is doing, as the UI shows it at all times. */
export const SyncStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('offline'), reason: z.string(), retryAt: z.string().nullable() }),
  z.object({ state: z.literal('connecting') }),
  z.object({
    state: z.literal('initial-sync'),
    done: z.number().int(),
    total: z.number().int().nullable(),
  }),
  z.object({ state: z.literal('syncing') }),
  z.object({ state: z.literal('idle'), lastSyncedAt: z.string() }),
  z.object({ state: z.literal('needs-sign-in'), reason: z.string() }),
  z.object({
    state: z.literal('error'),
    code: z.string(),
    reason: z.string(),
    retryAt: z.string().nullable(),
    /** upgrade_required: the oldest app version the service accepts, when it says. */
    minVersion: z.string().optional(),
  }),
]);
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncSnapshot = z.object({
  status: SyncStatus,
  pending: z.number().int().nonnegative(),
  needsAttention: z.number().int().nonnegative(),
  /** Replies held because their ticket changed before they were sent (see listHeldReplies). */
  held: z.number().int().nonnegative(),
});
export type SyncSnapshot = z.infer<typeof SyncSnapshot>;

/**
 * A snapshot as the main process sends it to the renderer: `seq` orders all it sends, events and
 * answers alike. They travel apart (an answer can arrive after events sent later), so the renderer
 * shows a snapshot only if it is newer than the one on screen (`isNewerSnapshot`).
 */
export const SentSyncSnapshot = SyncSnapshot.extend({ seq: z.number().int().nonnegative() });
export type SentSyncSnapshot = z.infer<typeof SentSyncSnapshot>;

export const isNewerSnapshot = (incoming: SentSyncSnapshot, shown: SentSyncSnapshot | null) =>
  shown === null || incoming.seq > shown.seq;
