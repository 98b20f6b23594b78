import { describe, expect, it } from 'vitest';
import type { AccountSummary } from '../../../../src-shared/bridge/contract';
import type { SyncSnapshot } from '../../../../src-shared/bridge/sync-status';
import { accountShortcut, accountStateText } from '../../../../src-renderer/lib/account-text';

const account = (
  status: SyncSnapshot['status'],
  pending = 0,
  needsAttention = 0,
): AccountSummary => ({
  id: 'a'.repeat(32),
  label: 'Acme',
  serverUrl: 'https://help.example.com',
  tenant: { id: '00000000-0000-4000-8000-000000000001', slug: 'acme', name: 'Acme' },
  user: {
    id: '10000000-0000-4000-8000-000000000001',
    name: 'Agent',
    email: 'agent@acme.test',
    role: 'agent',
  },
  active: false,
  sync: { status, pending, needsAttention, held: 0 },
});

describe('accountStateText', () => {
  it('counts the pending changes, and says what needs a look', () => {
    const idle = { state: 'idle', lastSyncedAt: '2026-01-01T00:00:00Z' } as const;
    expect(accountStateText(account(idle))).toBe('0 pending');
    expect(accountStateText(account({ state: 'syncing' }, 1234))).toBe('1,234 pending');
    expect(accountStateText(account(idle, 2, 1))).toBe('2 pending · 1 need attention');
    expect(accountStateText(account({ state: 'offline', reason: 'x', retryAt: null }, 3))).toBe(
      '3 pending · offline',
    );
    expect(accountStateText(account({ state: 'needs-sign-in', reason: 'x' }, 1))).toBe(
      '1 pending · sign in again',
    );
    expect(
      accountStateText(account({ state: 'error', code: 'http', reason: 'x', retryAt: null })),
    ).toBe('0 pending · sync error');
    expect(
      accountStateText(account({ state: 'error', code: 'network', reason: 'x', retryAt: null })),
    ).toBe('0 pending · offline');
    expect(accountStateText(account({ state: 'initial-sync', done: 1, total: 5 }))).toBe(
      '0 pending · downloading',
    );
  });
});

describe('accountShortcut', () => {
  it('gives the first nine accounts Ctrl or Cmd and their number', () => {
    expect(accountShortcut(0)).toBe('Control+1 Meta+1');
    expect(accountShortcut(8)).toBe('Control+9 Meta+9');
    expect(accountShortcut(9)).toBeUndefined();
  });
});
