import { describe, expect, it } from 'vitest';
import type { SyncSnapshot } from '../../../../src-shared/bridge/sync-status';
import { chooseScreen, type ScreenInputs } from '../../../../src-renderer/lib/screen';

const sync = (status: SyncSnapshot['status']): SyncSnapshot => ({
  status,
  pending: 0,
  needsAttention: 0,
  held: 0,
});
const base: ScreenInputs = {
  started: true,
  signedIn: true,
  reauth: false,
  sync: sync({ state: 'idle', lastSyncedAt: '2026-01-01T00:00:00Z' }),
  everSynced: true,
  settingsOpen: false,
  addingAccount: false,
};

describe('chooseScreen', () => {
  it('shows sign-in without a session or when the session ended', () => {
    expect(chooseScreen({ ...base, started: false })).toBe('loading');
    expect(chooseScreen({ ...base, signedIn: false })).toBe('sign-in');
    expect(chooseScreen({ ...base, reauth: true })).toBe('sign-in');
    expect(chooseScreen({ ...base, addingAccount: true, settingsOpen: true })).toBe('sign-in');
  });

  it('shows the setup screen during the initial sync and before a first sync', () => {
    expect(
      chooseScreen({ ...base, sync: sync({ state: 'initial-sync', done: 1, total: 9 }) }),
    ).toBe('setup');
    const connecting = sync({ state: 'connecting' });
    expect(chooseScreen({ ...base, sync: connecting, everSynced: false })).toBe('setup');
    expect(chooseScreen({ ...base, sync: null, everSynced: false })).toBe('setup');
    expect(chooseScreen({ ...base, sync: connecting })).toBe('workspace');
    const offline = sync({ state: 'offline', reason: 'x', retryAt: null });
    expect(chooseScreen({ ...base, sync: offline, everSynced: false })).toBe('workspace');
    expect(chooseScreen(base)).toBe('workspace');
  });

  it('shows the settings over the workspace only, never over sign-in or setup', () => {
    expect(chooseScreen({ ...base, settingsOpen: true })).toBe('settings');
    expect(chooseScreen({ ...base, settingsOpen: true, reauth: true })).toBe('sign-in');
    const initial = sync({ state: 'initial-sync', done: 1, total: 9 });
    expect(chooseScreen({ ...base, settingsOpen: true, sync: initial })).toBe('setup');
  });
});
