import type { AccountSummary } from '../../src-shared/bridge/contract';
import { formatCount, isOffline } from './format';

/** What the account switcher says of an account: its unsent changes, and what needs a look. */
export function accountStateText({ sync }: AccountSummary): string {
  const parts = [`${formatCount(sync.pending)} pending`];
  if (sync.needsAttention > 0) parts.push(`${formatCount(sync.needsAttention)} need attention`);
  if (isOffline(sync.status)) parts.push('offline');
  else if (sync.status.state === 'needs-sign-in') parts.push('sign in again');
  else if (sync.status.state === 'error') parts.push('sync error');
  else if (sync.status.state === 'initial-sync') parts.push('downloading');
  return parts.join(' · ');
}

/** Ctrl/⌘ and a digit switch to the first nine accounts. */
export const accountShortcut = (index: number): string | undefined =>
  index < 9 ? `Control+${index + 1} Meta+${index + 1}` : undefined;
