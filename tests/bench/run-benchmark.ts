import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ACME, DEMO_PASSWORD } from '../../src-server/demo/demo-tenants';
import type { Account } from './client/bench-client';
import {
  CLIENT_STEPS,
  type ClientConfig,
  type ClientResult,
  type ClientStep,
} from './client/client-config';
import { runAgents } from './load/agents';
import { PouchdbReplication } from './parts/pouchdb-replication';
import { rawInsert } from './parts/raw-insert';
import { targetsOf, type BenchResult, type Measures, type RoundResult } from './results';
import { machine } from './support/machine';
import {
  eachLine,
  runBin,
  seedService,
  spawnWithConfig,
  startService,
  type Log,
  type ServiceProcess,
} from './support/processes';
import { ServiceRows } from './support/service-rows';
import { median } from './support/stats';

/** The parts `--skip` can leave out. Without `sync`, nothing that needs the synced client runs. */
export const PARTS = ['raw', 'pouchdb', 'sync', ...CLIENT_STEPS, 'load'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  tickets: number;
  skip: readonly Part[];
  loadAgents: number;
  loadSeconds: number;
  /** Documents PouchDB replicates; fewer than all rows: the time is scaled linearly. */
  pouchdbDocs: number;
  /** Server-side changes pulled, and local mutations committed and pushed (1000 in the issue). */
  changes: number;
  scrollRows: number;
  /**
   * Rounds of the raw insert, the PouchDB replication and the initial sync (each a fresh client);
   * their figures are the medians. The steps after the sync run once, in the last round's client.
   */
  rounds: number;
  /** Where the data goes (a fresh folder is made inside); on a real disk, not tmpfs. */
  workDir: string;
  keepData: boolean;
  /** Write V8 CPU profiles of the service and client processes here (`node --cpu-prof`). */
  cpuProfDir?: string;
  log: Log;
}

export const DEFAULTS: Omit<BenchOptions, 'log'> = {
  tickets: 100_000,
  skip: [],
  loadAgents: 200,
  loadSeconds: 60,
  pouchdbDocs: Number.POSITIVE_INFINITY,
  changes: 1000,
  scrollRows: 10_000,
  rounds: 3,
  workDir: tmpdir(),
  keepData: false,
};

/** SyncEngine's default `snapshotPageSize`: the raw baseline writes pages of the same size. */
const SNAPSHOT_PAGE_SIZE = 2000;

const account = (n: number): Account => ({
  tenant: ACME.slug,
  email: `agent${n}@${ACME.domain}`,
  password: DEMO_PASSWORD,
});
/** seed:demo makes agent1…agent20: 1 syncs, 2 changes tickets under it, the rest are the load. */
const CLIENT = account(1);
const OTHER = account(2);
const LOAD_ACCOUNTS = Array.from({ length: 18 }, (_, i) => account(i + 3));

function runClient(config: ClientConfig, log: Log, cpuProfDir?: string): Promise<ClientResult> {
  const child = spawnWithConfig('tests/bench/client/client-process.ts', config, {
    stdout: 'inherit',
    cpuProfDir,
  });
  eachLine(child.stderr!, log);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the client process failed (exit code ${code})`));
      resolve(JSON.parse(readFileSync(config.resultFile, 'utf8')) as ClientResult);
    });
  });
}

/** The rounds' medians, and the ratios of the medians. */
function roundMeasures(rounds: readonly RoundResult[]): Measures {
  const measures: Measures = {};
  for (const field of [
    'rawInsertSeconds',
    'pouchdbSeconds',
    'pouchdbMeasuredSeconds',
    'initialSyncSeconds',
    'initialSyncLongestPageMs',
    'initialSyncApplySeconds',
    'initialSyncCpuSeconds',
  ] as const) {
    const values = rounds.flatMap((round) => round[field] ?? []);
    if (values.length > 0) measures[field] = median(values);
  }
  const { rawInsertSeconds: raw, pouchdbSeconds: pouch, initialSyncSeconds: sync } = measures;
  if (sync !== undefined && raw !== undefined) measures.syncVsRaw = raw / sync;
  if (sync !== undefined && pouch !== undefined) measures.speedupVsPouchdb = pouch / sync;
  return measures;
}

/** The figures of the steps after the sync, from the last round's client. */
function clientMeasures(result: ClientResult): Measures {
  const { queries, incremental, mutations, push, ui } = result;
  return {
    rssMb: result.rssMb,
    rssAtStartMb: result.rssAtStartMb,
    ...(queries && {
      listP50Ms: queries.list.p50,
      listP95Ms: queries.list.p95,
      listP99Ms: queries.list.p99,
      searchP50Ms: queries.search.p50,
      searchP95Ms: queries.search.p95,
      searchP99Ms: queries.search.p99,
    }),
    ...(incremental && {
      incrementalPull1000Ms: incremental.ms,
      incrementalPull1000CpuMs: incremental.cpuMs,
    }),
    ...(mutations && {
      mutationP50Ms: mutations.p50,
      mutationP95Ms: mutations.p95,
      mutationP99Ms: mutations.p99,
    }),
    ...(push && { push1000Seconds: push.seconds }),
    ...(ui && {
      uiInteractiveMs: ui.interactiveMs,
      scrollFrameP95Ms: ui.frameP95Ms,
      scrollFrames: ui.frames,
      scrolledRows: ui.scrolledRows,
    }),
  };
}

/**
 * Seeds a service's data folder with `tickets` tickets (seed:demo), measures the no-network
 * baselines on those rows, then starts the service in its own process and runs the client (its
 * own process too) and the simulated agents against it.
 */
export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  // Each step's line says how busy the machine was (1-minute load average): figures taken on a
  // busy machine are not comparable.
  const load1 = () => Math.round(loadavg()[0]! * 100) / 100;
  const log = (line: string) => options.log(`[load ${load1().toFixed(2)}] ${line}`);
  const loadAverages: Record<string, number> = {};
  let uiStartsMs: number[] | undefined;
  const begin = (part: string, line: string) => {
    loadAverages[part] = load1();
    log(line);
  };
  const needsSync = (part: Part) => (CLIENT_STEPS as readonly Part[]).includes(part);
  const runs = (part: Part) =>
    !options.skip.includes(part) && !(needsSync(part) && options.skip.includes('sync'));
  mkdirSync(options.workDir, { recursive: true });
  const work = mkdtempSync(path.join(options.workDir, 'helpdesk-bench-'));
  let service: ServiceProcess | null = null;
  try {
    const serviceDir = path.join(work, 'service');
    log(`seeding ${options.tickets} tickets…`);
    await seedService(serviceDir, options.tickets, log);
    const rows = new ServiceRows(path.join(serviceDir, 'helpdesk.sqlite'), ACME.slug, CLIENT.email);
    const counts = rows.counts();
    const measures: Measures = {};
    const rounds: RoundResult[] = [];
    let pouchdb: PouchdbReplication | null = null;
    try {
      if (runs('pouchdb')) {
        log('PouchDB: filling the source database…');
        pouchdb = await PouchdbReplication.fill(rows, work, {
          maxDocs: options.pouchdbDocs,
          batchSize: SNAPSHOT_PAGE_SIZE,
        });
      }
      if (runs('sync') || runs('load')) {
        service = await startService(serviceDir, log, { cpuProfDir: options.cpuProfDir });
        log(`service at ${service.url} (pid ${service.pid})`);
      }
      const steps = CLIENT_STEPS.filter((step: ClientStep) => runs(step));
      const rendererDir = path.join(work, 'renderer');
      if (service && runs('sync') && steps.includes('ui')) {
        log('building the renderer…');
        await runBin(
          'vite',
          ['build', '--outDir', rendererDir, '--emptyOutDir', '--logLevel', 'warn'],
          log,
        );
      }
      for (let n = 1; n <= options.rounds; n++) {
        const last = n === options.rounds;
        const of = `round ${n} of ${options.rounds}`;
        const round: RoundResult = {};
        if (runs('raw')) {
          begin(`raw-${n}`, `raw insert, ${of}…`);
          const file = path.join(work, `raw-insert-${n}.sqlite`);
          round.rawInsertSeconds = rawInsert(rows, file, SNAPSHOT_PAGE_SIZE).seconds;
        }
        if (pouchdb) {
          begin(`pouchdb-${n}`, `PouchDB replication, ${of}…`);
          const pouch = await pouchdb.replicate();
          round.pouchdbSeconds = pouch.seconds;
          round.pouchdbMeasuredSeconds = pouch.measuredSeconds;
          Object.assign(measures, {
            pouchdbMeasuredDocs: pouch.measuredDocs,
            pouchdbTotalDocs: pouch.totalDocs,
          });
        }
        if (service && runs('sync')) {
          // A fresh client each round; only the last one goes on to the steps after the sync.
          const dataDir = path.join(work, `client-${n}`);
          begin(`client-${n}`, `client process, ${of}…`);
          const client = await runClient(
            {
              service: { url: service.url, ca: service.ca },
              account: CLIENT,
              otherAccount: OTHER,
              dataDir,
              rendererDir,
              steps: last ? steps : [],
              changes: options.changes,
              scrollRows: options.scrollRows,
              resultFile: path.join(work, `client-result-${n}.json`),
              cpuProfDir: options.cpuProfDir,
            },
            log,
            options.cpuProfDir,
          );
          const { initialSync } = client;
          Object.assign(round, {
            initialSyncSeconds: initialSync.seconds,
            initialSyncLongestPageMs: initialSync.longestPageMs,
            initialSyncApplySeconds: initialSync.applySeconds,
            initialSyncCpuSeconds: initialSync.cpuSeconds,
          } satisfies RoundResult);
          if (last) {
            Object.assign(measures, clientMeasures(client));
            uiStartsMs = client.ui?.startsMs.map(Math.round);
          } else {
            rmSync(dataDir, { recursive: true, force: true });
          }
        }
        if (Object.keys(round).length > 0) rounds.push(round);
      }
    } finally {
      try {
        rows.close();
      } finally {
        await pouchdb?.close();
      }
    }
    Object.assign(measures, roundMeasures(rounds));
    if (service && runs('load')) {
      begin('load', `${options.loadAgents} agents…`);
      const load = await runAgents({
        service: { url: service.url, ca: service.ca },
        accounts: LOAD_ACCOUNTS,
        agents: options.loadAgents,
        seconds: options.loadSeconds,
        log,
      });
      Object.assign(measures, {
        serverP50Ms: load.latencyMs.p50,
        serverP95Ms: load.latencyMs.p95,
        serverP99Ms: load.latencyMs.p99,
        loadAgents: load.agents,
        loadSeconds: load.seconds,
        loadRequests: load.requests,
        loadMutations: load.mutations,
        loadErrors: load.errors,
        loadLostMutations: load.lost,
      } satisfies Measures);
    }
    loadAverages['end'] = load1();
    return {
      machine: machine(),
      loadAverages,
      rounds,
      ...(uiStartsMs && { uiStartsMs }),
      tickets: counts['ticket'] ?? 0,
      comments: counts['comment'] ?? 0,
      rows: Object.values(counts).reduce((a, b) => a + b, 0),
      skipped: PARTS.filter((part) => !runs(part)),
      ...measures,
      targets: targetsOf(measures),
    };
  } finally {
    await service?.stop();
    if (options.keepData) log(`data kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
