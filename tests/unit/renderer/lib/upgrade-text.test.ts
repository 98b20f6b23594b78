import { describe, expect, it } from 'vitest';
import type { SyncSnapshot } from '../../../../src-shared/bridge/sync-status';
import { upgradeBannerText } from '../../../../src-renderer/lib/upgrade-text';

const refused = (pending: number, minVersion?: string): SyncSnapshot => ({
  status: {
    state: 'error',
    code: 'upgrade_required',
    reason: 'too old',
    retryAt: null,
    ...(minVersion ? { minVersion } : {}),
  },
  pending,
  needsAttention: 0,
  held: 0,
});

describe('upgradeBannerText', () => {
  it('names this version, the one required, and how many changes wait to be sent', () => {
    expect(upgradeBannerText(refused(3, '2.1.0'), '2.0.4')).toBe(
      'This version of Help Desk (2.0.4) is too old for the service; version 2.1.0 or later is ' +
        'required. Your 3 pending changes are kept and will be sent after you update.',
    );
    expect(upgradeBannerText(refused(1, '2.1.0'), '2.0.4')).toContain(
      'Your pending change is kept and will be sent after you update.',
    );
    expect(upgradeBannerText(refused(1234, '2.1.0'), '2.0.4')).toContain(
      'Your 1,234 pending changes are kept',
    );
    expect(upgradeBannerText(refused(0, '2.1.0'), '2.0.4')).toContain(
      'You can go on working: your changes are kept and sent after you update.',
    );
  });

  it('still says what to do when the service named no version or the app info is missing', () => {
    expect(upgradeBannerText(refused(2), null)).toBe(
      'This version of Help Desk is too old for the service; a newer version is required. ' +
        'Your 2 pending changes are kept and will be sent after you update.',
    );
  });

  it('shows nothing at any other time', () => {
    expect(upgradeBannerText(null, '1.0.0')).toBeNull();
    const other: SyncSnapshot = {
      status: { state: 'error', code: 'rate_limited', reason: 'slow down', retryAt: null },
      pending: 2,
      needsAttention: 0,
      held: 0,
    };
    expect(upgradeBannerText(other, '1.0.0')).toBeNull();
    const idle: SyncSnapshot = { ...other, status: { state: 'idle', lastSyncedAt: '2026-01-01' } };
    expect(upgradeBannerText(idle, '1.0.0')).toBeNull();
  });
});
