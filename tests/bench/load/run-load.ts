import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ACME, DEMO_PASSWORD } from '../../../src-server/demo/demo-tenants';
import { startPgCluster, type PgCluster } from '../../support/pg-cluster';
import { testDatabaseFor, type TestDatabase } from '../../support/test-database';
import type { Account } from '../client/bench-client';
import { machine, type Machine } from '../support/machine';
import {
  seedService,
  startSecondService,
  startService,
  type Log,
  type ServiceProcess,
} from '../support/processes';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../support/round-robin-proxy';
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
  /** Tickets seeded in each tenant before the start (`npm run seed:demo`). */
  tickets: number;
  /**
   * Tenants the agents spread over (default 1, `acme`; then `acme2`, `acme3`…): one tenant's
   * writes are ordered one after another, different tenants' are not.
   */
  tenants?: number;
  /**
   * Service processes on the database (default 1). More than one needs PostgreSQL; the agents then
   * reach them through one address, a round-robin TCP proxy in this process.
   */
  processes?: number;
  /** Where the data goes (a fresh folder inside, deleted at the end); a real disk, not tmpfs. */
  workDir?: string;
  log: Log;
}

export interface LoadBenchResult extends LoadResult {
  database: StorageKind;
  tenants: number;
  processes: number;
  tickets: number;
  machine: Machine;
  /** The 1-minute load average before the agents started and after they stopped. */
  loadAverage: { start: number; end: number };
}

const tenantSlug = (n: number) => (n === 0 ? ACME.slug : `${ACME.slug}${n + 1}`);

/**
 * seed:demo makes agent1…agent20 in each tenant (`agentN@<slug>.test`); the agents sign in as all
 * of them in turn, one tenant after the other.
 */
function accounts(tenants: number): Account[] {
  return Array.from({ length: 20 * tenants }, (_, i) => {
    const slug = tenantSlug(i % tenants);
    return {
      tenant: slug,
      email: `agent${Math.floor(i / tenants) + 1}@${slug}.test`,
      password: DEMO_PASSWORD,
    };
  });
}

const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

/**
 * The simulated agents (load/agents.ts) against the service in its own process (`npm run server`)
 * on SQLite or on PostgreSQL, after seeding its database with the demo tenant.
 */
export async function runLoadBench(options: LoadBenchOptions): Promise<LoadBenchResult> {
  const log = (line: string) => options.log(`[load ${load1().toFixed(2)}] ${line}`);
  const processes = options.processes ?? 1;
  if (processes > 1 && options.database !== 'postgres') {
    throw new Error('several service processes need PostgreSQL');
  }
  const workDir = options.workDir ?? tmpdir();
  mkdirSync(workDir, { recursive: true });
  const work = mkdtempSync(path.join(workDir, 'helpdesk-load-'));
  let cluster: PgCluster | null = null;
  let database: TestDatabase | null = null;
  const services: ServiceProcess[] = [];
  let proxy: RoundRobinProxy | null = null;
  try {
    if (options.database === 'postgres') {
      const clusterUrl =
        options.pgClusterUrl ?? (cluster = await startPgCluster({ durable: true })).url;
      database = await testDatabaseFor(clusterUrl, work);
    }
    const serviceDir = path.join(work, 'service');
    const tenants = options.tenants ?? 1;
    for (let n = 0; n < tenants; n++) {
      log(`seeding ${options.tickets} tickets in ${tenantSlug(n)} (${options.database})…`);
      await seedService(serviceDir, options.tickets, log, database?.url, tenantSlug(n));
    }
    const first = await startService(serviceDir, log, { databaseUrl: database?.url });
    services.push(first);
    for (let n = 2; n <= processes; n++) {
      const dir = path.join(work, `service-${n}`);
      services.push(await startSecondService(first, dir, log, { databaseUrl: database!.url }));
    }
    for (const s of services) log(`service at ${s.url} (pid ${s.pid}) on ${options.database}`);
    if (processes > 1) {
      proxy = await startRoundRobinProxy(services.map((s) => Number(new URL(s.url).port)));
    }
    const start = load1();
    const result = await runAgents({
      service: { url: proxy?.url ?? first.url, ca: first.ca },
      accounts: accounts(tenants),
      agents: options.agents,
      seconds: options.seconds,
      log,
    });
    return {
      ...result,
      database: options.database,
      tenants,
      processes,
      tickets: options.tickets,
      machine: machine(),
      loadAverage: { start, end: load1() },
    };
  } finally {
    await proxy?.close();
    await Promise.all(services.map((s) => s.stop()));
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
    `${result.database}, ${result.processes} service process(es): ${result.agents} agents in ${result.tenants} tenant(s) for ${result.seconds.toFixed(0)} s, ${result.tickets} tickets seeded in each`,
    `  push  ${String(result.pushes).padStart(7)}  ${ms(result.pushLatencyMs)}`,
    `  pull  ${String(result.pulls).padStart(7)}  ${ms(result.pullLatencyMs)}`,
    `  mutations ${result.mutations}, acknowledged ${result.acknowledged}, errors ${result.errors}, lost ${result.lost}`,
    `  ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}; load average ${result.loadAverage.start} at the start, ${result.loadAverage.end} at the end`,
  ].join('\n');
}
