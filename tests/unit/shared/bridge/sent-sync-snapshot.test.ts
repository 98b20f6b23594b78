import { describe, expect, it } from 'vitest';
import {
  isNewerSnapshot,
  SentSyncSnapshot,
  type SentSyncSnapshot as Sent,
} from '../../../../src-shared/bridge/sync-status';

const snapshot = (seq: number, state: 'idle' | 'initial-sync'): Sent => ({
  seq,
  status:
    state === 'idle'
      ? { state, lastSyncedAt: '2026-12-03T12:00:00.000Z' }
      : { state, done: 0, total: null },
  pending: 0,
  needsAttention: 0,
  held: 0,
});

describe('snapshots sent to the renderer', () => {
  it('shows the first one, then only newer ones', () => {
    expect(isNewerSnapshot(snapshot(4, 'initial-sync'), null)).toBe(true);
    expect(isNewerSnapshot(snapshot(5, 'idle'), snapshot(4, 'initial-sync'))).toBe(true);
  });

  it('keeps an answer that events sent after it overtook off the screen', () => {
    // getSyncStatus answered "initial sync" (4); the events of the sync's end (5, 6) came first.
    expect(isNewerSnapshot(snapshot(4, 'initial-sync'), snapshot(6, 'idle'))).toBe(false);
    expect(isNewerSnapshot(snapshot(6, 'idle'), snapshot(6, 'idle'))).toBe(false);
  });

  it('is refused by the bridge without its order', () => {
    const { seq: _seq, ...unordered } = snapshot(1, 'idle');
    expect(SentSyncSnapshot.safeParse(unordered).success).toBe(false);
    expect(SentSyncSnapshot.safeParse(snapshot(1, 'idle')).success).toBe(true);
  });
});
