import { listTickets } from '../../../src-main/core/replica/ticket-queries';
import type { BenchClient } from './bench-client';

export interface InitialSyncResult {
  seconds: number;
  rows: number;
  pages: number;
  /** The longest page written and rebased: the longest the main process is blocked. */
  longestPageMs: number;
  /** All pages written and rebased: the rest of `seconds` is waiting for the service. */
  applySeconds: number;
  /** The client process's CPU time (user and system): less sensitive to other work than `seconds`. */
  cpuSeconds: number;
}

/**
 * A fresh client's full initial sync, from the first pull until the replica answers a ticket list
 * (the first screen of the app).
 */
export async function measureInitialSync(client: BenchClient): Promise<InitialSyncResult> {
  const { replica, engine } = client;
  const pageMs: number[] = [];
  const apply = replica.applyPullPage.bind(replica);
  replica.applyPullPage = (page) => {
    const started = performance.now();
    const outcome = apply(page);
    pageMs.push(performance.now() - started);
    return outcome;
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const status = await engine.syncNow();
    if (status.state !== 'idle') throw new Error(`initial sync ended ${JSON.stringify(status)}`);
    const first = listTickets(replica.db, { limit: 100 }, client.userId);
    if (first.tickets.length === 0) throw new Error('the replica has no tickets after the sync');
  } finally {
    replica.applyPullPage = apply;
  }
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const rows = (replica.db.prepare('SELECT count(*) AS n FROM base').get() as { n: number }).n;
  return {
    seconds,
    rows,
    pages: pageMs.length,
    longestPageMs: Math.max(...pageMs),
    applySeconds: pageMs.reduce((a, b) => a + b, 0) / 1000,
    cpuSeconds: (user + system) / 1e6,
  };
}
