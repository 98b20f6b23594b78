import { describe, expect, it } from 'vitest';
import type { SyncSnapshot } from '../../../../src-shared/bridge/sync-status';
import {
  formatBytes,
  progressText,
  statusLine,
  ticketNumber,
} from '../../../../src-renderer/lib/format';

const snapshot = (status: SyncSnapshot['status'], pending = 0, needsAttention = 0, held = 0) => ({
  status,
  pending,
  needsAttention,
  held,
});

describe('statusLine', () => {
  it('says online or offline, the sync state and the pending count', () => {
    expect(statusLine(snapshot({ state: 'idle', lastSyncedAt: '2026-01-01T00:00:00Z' }))).toBe(
      'Online · Synced · 0 pending',
    );
    expect(statusLine(snapshot({ state: 'syncing' }, 1234))).toBe(
      'Online · Syncing… · 1,234 pending',
    );
    expect(statusLine(snapshot({ state: 'offline', reason: 'x', retryAt: null }, 2))).toMatch(
      /^Offline · .* · 2 pending$/,
    );
    expect(statusLine(snapshot({ state: 'needs-sign-in', reason: 'x' }))).toContain(
      'Sign in again',
    );
    expect(statusLine(snapshot({ state: 'connecting' }))).toContain('Connecting…');
    expect(statusLine(snapshot({ state: 'initial-sync', done: 1, total: 2 }))).toContain(
      'Initial sync',
    );
  });

  it('counts a network error as offline and shows other errors with their reason', () => {
    const network = { state: 'error', code: 'network', reason: 'gone', retryAt: null } as const;
    expect(statusLine(snapshot(network))).toMatch(/^Offline · Error: gone/);
    const tls = {
      state: 'error',
      code: 'tls_untrusted',
      reason: 'not trusted',
      retryAt: null,
    } as const;
    expect(statusLine(snapshot(tls, 0, 3))).toBe(
      'Online · Error: not trusted · 0 pending · 3 need attention',
    );
  });

  it('says only "Update required" while the service refuses this version (the banner explains)', () => {
    const upgrade = {
      state: 'error',
      code: 'upgrade_required',
      reason: 'This version of Help Desk is too old for the service; update to 2.0.0 or later.',
      retryAt: null,
      minVersion: '2.0.0',
    } as const;
    expect(statusLine(snapshot(upgrade, 4))).toBe('Online · Update required · 4 pending');
  });
});

describe('statusLine with held replies', () => {
  it('counts the replies held because their ticket changed', () => {
    const idle = { state: 'idle', lastSyncedAt: '2026-01-01T00:00:00Z' } as const;
    expect(statusLine(snapshot(idle, 0, 0, 1))).toBe('Online · Synced · 0 pending · 1 reply held');
    expect(statusLine(snapshot(idle, 2, 1, 3))).toBe(
      'Online · Synced · 2 pending · 1 need attention · 3 replies held',
    );
  });
});

describe('formatBytes', () => {
  it('says bytes below a KB, then one decimal below 10 of a unit, then whole units', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(3 * 1024)).toBe('3.0 KB');
    expect(formatBytes(12_345)).toBe('12 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5120 GB');
  });
});

describe('progressText and ticketNumber', () => {
  it('formats counts with thousands separators', () => {
    expect(progressText(12_345, 100_000)).toBe('Downloading tickets: 12,345 of 100,000 records');
    expect(progressText(0, null)).not.toContain('of');
    expect(ticketNumber(42)).toBe('#42');
    expect(ticketNumber(null)).toBe('number pending');
  });
});
