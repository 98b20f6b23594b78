import type { SyncSnapshot } from '../../src-shared/bridge/sync-status';
import type { TicketPriority, TicketStatus, TicketType } from '../../src-shared/domain/enums';

const NUMBER = new Intl.NumberFormat('en-US');

/** A count with thousands separators (1,234). */
export const formatCount = (n: number) => NUMBER.format(n);

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const TYPE_LABELS: Record<TicketType, string> = {
  question: 'Question',
  incident: 'Incident',
  problem: 'Problem',
  task: 'Task',
};

/** `#123`, or "number pending" while the service has not numbered a ticket created here. */
export const ticketNumber = (n: number | null) => (n === null ? 'number pending' : `#${n}`);

/** Offline: no answer from the service (the engine retries by itself). */
export function isOffline(status: SyncSnapshot['status']): boolean {
  return status.state === 'offline' || (status.state === 'error' && status.code === 'network');
}

/** The sync state in words, as the status bar shows it. */
export function syncStateText(status: SyncSnapshot['status']): string {
  switch (status.state) {
    case 'idle':
      return 'Synced';
    case 'syncing':
      return 'Syncing…';
    case 'initial-sync':
      return 'Initial sync';
    case 'connecting':
      return 'Connecting…';
    case 'needs-sign-in':
      return 'Sign in again';
    case 'offline':
      return 'Waiting for the service';
    case 'error':
      // The banner above says what to do (upgrade-banner.tsx).
      return status.code === 'upgrade_required' ? 'Update required' : `Error: ${status.reason}`;
  }
}

/** The whole status line: `Online · Synced · 0 pending`. */
export function statusLine(snapshot: SyncSnapshot): string {
  const parts = [
    isOffline(snapshot.status) ? 'Offline' : 'Online',
    syncStateText(snapshot.status),
    `${formatCount(snapshot.pending)} pending`,
  ];
  if (snapshot.needsAttention > 0)
    parts.push(`${formatCount(snapshot.needsAttention)} need attention`);
  if (snapshot.held > 0)
    parts.push(`${formatCount(snapshot.held)} ${snapshot.held === 1 ? 'reply' : 'replies'} held`);
  return parts.join(' · ');
}

const UNITS = ['KB', 'MB', 'GB'] as const;

/** A file size for people: 512 bytes, 12.3 KB, 4.5 MB (units of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** The initial sync's progress line. */
export function progressText(done: number, total: number | null): string {
  return total === null
    ? 'Connecting to the service…'
    : `Downloading tickets: ${formatCount(done)} of ${formatCount(total)} records`;
}

const DATE_TIME = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const SAME_DAY = new Intl.DateTimeFormat('en-US', { timeStyle: 'short' });
const SHORT_DATE = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });

export const formatDateTime = (iso: string) => DATE_TIME.format(new Date(iso));

/** A list row's time: the hour today, the day otherwise. */
export function formatListTime(iso: string, now: Date): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? SAME_DAY.format(at) : SHORT_DATE.format(at);
}
