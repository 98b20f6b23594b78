import { z } from 'zod';
import { IsoTime } from '../domain/primitives';

/**
 * "Keep offline": all tickets, or only those updated in the last N months; older tickets are
 * fetched from the service when the agent opens one. A setting of each account on this machine.
 */

export const KEEP_OFFLINE_MONTHS = [1, 3, 6, 12, 24] as const;
export const KeepOfflineMonths = z.literal(KEEP_OFFLINE_MONTHS);
export type KeepOfflineMonths = z.infer<typeof KeepOfflineMonths>;

export const OfflineWindow = z.object({
  /** null: every ticket is kept offline. */
  months: KeepOfflineMonths.nullable(),
  /**
   * Every ticket updated since this time is on this machine; older ones may not be. null: all
   * tickets are (no window, or none applied yet).
   */
  keptSince: IsoTime.nullable(),
});
export type OfflineWindow = z.infer<typeof OfflineWindow>;

/** What changing the setting did: tickets removed now, or a download of older ones started. */
export const OfflineWindowChange = OfflineWindow.extend({
  removed: z.number().int().nonnegative(),
  downloading: z.boolean(),
});
export type OfflineWindowChange = z.infer<typeof OfflineWindowChange>;

/**
 * The start of the window: `months` calendar months before `now`, in UTC, the day clamped to the
 * month's last (31 March less one month is 28 or 29 February).
 */
export function windowStart(now: Date, months: number): string {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const start = new Date(now);
  start.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  return start.toISOString();
}
