import { STATS_MIN_BUCKET, type StatsResponse } from '../../src-shared/protocol/admin';
import type { Storage } from '../storage/storage';

/**
 * Ticket volumes by status and by day, and active users, of one tenant or (tenantId null) of the
 * whole service. Counts only, never an id, name or slug. A bucket whose tickets come from fewer
 * than STATS_MIN_BUCKET requesters could describe a person, so it is left out and only counted as
 * suppressed; fewer than that many active users is reported as null.
 */
export async function usageStats(
  storage: Storage,
  tenantId: string | null,
  days: number,
  now: Date,
): Promise<StatsResponse> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const { byDay, byStatus } = await storage.ticketStats(tenantId, since.toISOString().slice(0, 10));
  const large = <T extends { requesters: number }>(row: T) => row.requesters >= STATS_MIN_BUCKET;
  const active = await storage.countActiveUsers(tenantId, since.toISOString());
  return {
    generatedAt: now.toISOString(),
    minBucketSize: STATS_MIN_BUCKET,
    days,
    ticketsByStatus: byStatus.filter(large).map(({ status, tickets }) => ({ status, tickets })),
    ticketsByDay: byDay.filter(large).map(({ day, status, tickets }) => ({ day, status, tickets })),
    suppressedBuckets:
      byStatus.length + byDay.length - byStatus.filter(large).length - byDay.filter(large).length,
    activeUsers: active >= STATS_MIN_BUCKET ? active : null,
  };
}
