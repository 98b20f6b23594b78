import type { Percentiles } from '../support/stats';
import type { Account, ServiceAddress } from './bench-client';
import type { IncrementalResult } from './incremental-pull';
import type { InitialSyncResult } from './initial-sync';
import type { QueryResult } from './queries';
import type { UiResult } from './ui';

/** What the client process does after the initial sync (client-process.ts). */
export const CLIENT_STEPS = ['queries', 'incremental', 'mutations', 'ui'] as const;
export type ClientStep = (typeof CLIENT_STEPS)[number];

export interface ClientConfig {
  service: ServiceAddress;
  account: Account;
  /** Makes the server-side changes the client then pulls. */
  otherAccount: Account;
  dataDir: string;
  rendererDir: string;
  steps: ClientStep[];
  /** Server-side changes pulled, local mutations committed and pushed. */
  changes: number;
  scrollRows: number;
  resultFile: string;
  /** V8 CPU profiles of the preview's core (the UI step) go here too. */
  cpuProfDir?: string | undefined;
}

export interface ClientResult {
  initialSync: InitialSyncResult;
  /** Resident memory right after the initial sync, and before signing in (code alone). */
  rssMb: number;
  rssAtStartMb: number;
  queries?: QueryResult;
  incremental?: IncrementalResult;
  mutations?: Percentiles & { count: number };
  push?: { seconds: number; acknowledged: number };
  ui?: UiResult;
}
