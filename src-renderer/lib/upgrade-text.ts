import type { SyncSnapshot } from '../../src-shared/bridge/sync-status';
import { formatCount } from './format';

const keptText = (pending: number) => {
  if (pending === 0)
    return 'You can go on working: your changes are kept and sent after you update.';
  if (pending === 1) return 'Your pending change is kept and will be sent after you update.';
  return `Your ${formatCount(pending)} pending changes are kept and will be sent after you update.`;
};

/**
 * What the banner says while the service refuses this version of the app (426 upgrade_required):
 * which version it needs, and that nothing queued is lost meanwhile. Null at any other time.
 */
export function upgradeBannerText(
  sync: SyncSnapshot | null,
  appVersion: string | null,
): string | null {
  if (sync?.status.state !== 'error' || sync.status.code !== 'upgrade_required') return null;
  const app = appVersion
    ? `This version of Help Desk (${appVersion})`
    : 'This version of Help Desk';
  const { minVersion } = sync.status;
  const needed = minVersion
    ? `version ${minVersion} or later is required`
    : 'a newer version is required';
  return `${app} is too old for the service; ${needed}. ${keptText(sync.pending)}`;
}
