import type { SentSyncSnapshot } from '../../src-shared/bridge/sync-status';

/** The sync engine's last snapshot (null until the first one arrives). */
export interface SyncSlice {
  sync: SentSyncSnapshot | null;
}

export const initialSync = (): SyncSlice => ({ sync: null });
