/**
 * SLA-style clocks as a list shows them: the time since a ticket was created or since the
 * requester last wrote, in at most two units ("<1m", "12m", "3h 5m", "2d 4h"). Pure: the caller
 * passes "now".
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in the largest two units; under a minute (or negative: a clock ahead) is "<1m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < MINUTE) return '<1m';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

/** The time from `since` (an ISO time) to `now`; an unreadable time gives "<1m". */
export function elapsedSince(since: string, now: Date): string {
  return formatDuration(now.getTime() - Date.parse(since));
}
