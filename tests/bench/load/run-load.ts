import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ACME, DEMO_PASSWORD } from '../../../src-server/demo/demo-tenants';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { testDatabaseFor, type TestDatabase } from '../../support/test-database';
import type { Account } from '../client/bench-client';
import { machine, type Machine } from '../support/machine';
import { seedService, startService, type Log, type ServiceProcess } from '../support/processes';
import { runAgents, type LoadResult } from './agents';

export const STORAGES = ['sqlite', 'postgres'] as const;
export type StorageKind = (typeof STORAGES)[number];

export interface LoadBenchOptions {
  database: StorageKind;
  /**
   * PostgreSQL: a superuser URL of the cluster to make the database in. Default: a throwaway
   * cluster of its own, with fsync and synchronous commits on (as durable as SQLite's commits).
   */
  pgClusterUrl?: string | undefined;
  agents: number;
  seconds: number;
  /** Tickets seeded before the start (`npm run seed:demo`). */
  tickets: number;
  /** Where the data goes (a fresh folder inside, deleted at the end); a real disk, not tmpfs. */
  workDir?: string;
  log: Log;
}

export interface LoadBenchResult extends LoadResult {
  database: StorageKind;
  tickets: number;
  machine: Machine;
  /** The 1-minute load average before the agents started and after they stopped. */
  loadAverage: { start: number; end: number };
}

/** seed:demo makes agent1…agent20; the agents sign in as all of them in turn. */
const ACCOUNTS: Account[] = Array.from({ length: 20 }, (_, i) => ({
  tenant: ACME.slug,
  email: `agent${i + 1}@${ACME.domain}`,
  password: DEMO_PASSWORD,
}));

const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

/**
 * The simulated agents (load/agents.ts) against the service in its own process (`npm run server`)
 * on SQLite or on PostgreSQL, after seeding its database with the demo tenant.
 */
export async function runLoadBench(options: LoadBenchOptions): Promise<LoadBenchResult> {
  const log = (line: string) => options.log(`[load ${load1().toFixed(2)}] ${line}`);
  const workDir = options.workDir ?? tmpdir();
  mkdirSync(workDir, { recursive: true });
  const work = mkdtempSync(path.join(workDir, 'helpdesk-load-'));
  let cluster: PgCluster | null = null;
  let database: TestDatabase | null = null;
  let service: ServiceProcess | null = null;
  try {
    if (options.database === 'postgres') {
      const clusterUrl =
        options.pgClusterUrl ?? (cluster = await startPgCluster({ durable: true })).url;
      database = await testDatabaseFor(clusterUrl, work);
    }
    const serviceDir = path.join(work, 'service');
    log(`seeding ${options.tickets} tickets (${options.database})…`);
    await seedService(serviceDir, options.tickets, log, database?.url);
    service = await startService(serviceDir, log, { databaseUrl: database?.url });
    log(`service at ${service.url} (pid ${service.pid}) on ${options.database}`);
    const start = load1();
    const result = await runAgents({
      service: { url: service.url, ca: service.ca },
      accounts: ACCOUNTS,
      agents: options.agents,
      seconds: options.seconds,
      log,
    });
    return {
      ...result,
      database: options.database,
      tickets: options.tickets,
      machine: machine(),
      loadAverage: { start, end: load1() },
    };
  } finally {
    await service?.stop();
    await database?.drop();
    cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** One result as lines of text: latencies in ms, counts, the machine and how busy it was. */
export function loadReport(result: LoadBenchResult): string {
  const ms = (p: { p50: number; p95: number; p99: number }) =>
    `p50 ${p.p50.toFixed(1)}  p95 ${p.p95.toFixed(1)}  p99 ${p.p99.toFixed(1)} ms`;
  const { machine: m } = result;
  return [
    `${result.database}: ${result.agents} agents for ${result.seconds.toFixed(0)} s, ${result.tickets} tickets seeded`,
    `  push  ${String(result.pushes).padStart(7)}  ${ms(result.pushLatencyMs)}`,
    `  pull  ${String(result.pulls).padStart(7)}  ${ms(result.pullLatencyMs)}`,
    `  mutations ${result.mutations}, acknowledged ${result.acknowledged}, errors ${result.errors}, lost ${result.lost}`,
    `  ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}; load average ${result.loadAverage.start} at the start, ${result.loadAverage.end} at the end`,
  ].join('\n');
}
