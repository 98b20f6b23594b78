import { runChaos, startChaosEnv, type RunResult } from './chaos-run';

/** Many chaos runs on one service, a few at a time, summed up for the JSON report. */
export interface ChaosReport {
  runs: number;
  seeds: { first: number; last: number };
  lost: number;
  doubled: number;
  diverged: number;
  stuck: number;
  errors: number;
  failedSeeds: number[];
  healToDrainedMs: { p50: number | null; p99: number | null; max: number | null };
  edits: number;
  kills: number;
  reauths: number;
  faults: Record<string, number>;
  /** Null for a sum of series run apart. */
  runsPerMinute: number | null;
  /** Every finding of the failed runs, by seed. */
  failures: Record<string, string[]>;
}

export interface SeriesOptions {
  runs: number;
  seed: number;
  concurrency: number;
  onRun?: (result: RunResult & { failures: string[] }, done: number) => void;
}

export function failuresOf(result: RunResult): string[] {
  return [
    ...result.lost.map((line) => `lost: ${line}`),
    ...result.doubled.map((line) => `doubled: ${line}`),
    ...result.diverged.map((line) => `diverged: ${line}`),
    ...result.stuck.map((line) => `stuck: ${line}`),
    ...result.errors.map((line) => `error: ${line}`),
  ];
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runChaosSeries(root: string, options: SeriesOptions): Promise<ChaosReport> {
  const env = await startChaosEnv(root);
  const started = Date.now();
  const results: RunResult[] = [];
  let next = 0;
  try {
    const worker = async () => {
      while (next < options.runs) {
        const seed = options.seed + next;
        next += 1;
        const result = await runChaos(env, seed);
        results.push(result);
        options.onRun?.({ ...result, failures: failuresOf(result) }, results.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    await env.close();
  }
  return summarise(results, (Date.now() - started) / 60_000);
}

/**
 * The report of `results` (any order, from one series or several): `minutes` is the wall time
 * they took, or null when unknown (a sum of series run apart).
 */
export function summarise(results: readonly RunResult[], minutes: number | null): ChaosReport {
  const times = results
    .map((r) => r.healToDrainedMs)
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  const sum = (pick: (r: RunResult) => number) => results.reduce((n, r) => n + pick(r), 0);
  const faults: Record<string, number> = {};
  for (const result of results) {
    for (const [kind, n] of Object.entries(result.faults)) faults[kind] = (faults[kind] ?? 0) + n;
  }
  const seeds = results.map((r) => r.seed);
  const failed = results.filter((r) => failuresOf(r).length > 0).sort((a, b) => a.seed - b.seed);
  return {
    runs: results.length,
    seeds: { first: Math.min(...seeds, Infinity) || 0, last: Math.max(...seeds, -Infinity) || 0 },
    lost: sum((r) => r.lost.length),
    doubled: sum((r) => r.doubled.length),
    diverged: sum((r) => r.diverged.length),
    stuck: sum((r) => r.stuck.length),
    errors: sum((r) => r.errors.length),
    failedSeeds: failed.map((r) => r.seed),
    healToDrainedMs: {
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      max: times.at(-1) ?? null,
    },
    edits: sum((r) => r.edits),
    kills: sum((r) => r.kills),
    reauths: sum((r) => r.reauths),
    faults,
    runsPerMinute: minutes ? Math.round((results.length / minutes) * 10) / 10 : null,
    failures: Object.fromEntries(failed.map((r) => [String(r.seed), failuresOf(r)])),
  };
}

/** The report in one line, as `npm run chaos` and `chaos:sum` print it. */
export const reportLine = (report: ChaosReport): string =>
  `${report.runs} runs, seeds ${report.seeds.first}–${report.seeds.last}: lost ${report.lost}, ` +
  `doubled ${report.doubled}, diverged ${report.diverged}, stuck ${report.stuck}, errors ` +
  `${report.errors}; heal to drained p50 ${report.healToDrainedMs.p50} ms, p99 ` +
  `${report.healToDrainedMs.p99} ms, max ${report.healToDrainedMs.max} ms` +
  (report.runsPerMinute === null ? '' : `; ${report.runsPerMinute} runs/min`);
