/**
 * `npm run chaos -- --runs N --seed S --json FILE [--concurrency C] [--append RUNS.jsonl]`: N chaos
 * runs (chaos-run.ts) with seeds S, S+1, …, against one service, C at a time (default 2). Prints
 * one line per failing run with the command that replays it, and writes the totals to FILE: runs,
 * seeds, lost, doubled, diverged, stuck, errors, and heal-to-drained p50/p99. `--append` adds each
 * run's result to RUNS.jsonl as it ends, so that a long series made of several (chaos-sum.ts sums
 * them) loses at most the runs under way when it is stopped. Exits non-zero when any run failed.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportLine, runChaosSeries, type ChaosReport } from './chaos-series';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const runs = Number(option('runs', '20'));
const seed = Number(option('seed', String(Date.now() % 1_000_000)));
const concurrency = Number(option('concurrency', '2'));
const json = option('json', '');
const append = option('append', '');

const report: ChaosReport = await runChaosSeries(ROOT, {
  runs,
  seed,
  concurrency,
  onRun: (result, done) => {
    if (append) appendFileSync(append, `${JSON.stringify(result)}\n`);
    const failed = result.failures.length > 0;
    if (failed || done % 50 === 0 || done === runs || process.env['CHAOS_VERBOSE']) {
      process.stdout.write(`${done}/${runs} runs (seed ${result.seed}: ${result.ms} ms)\n`);
    }
    if (failed) {
      process.stdout.write(
        `FAILED seed ${result.seed}:\n  ${result.failures.join('\n  ')}\n` +
          `  replay: npm run chaos -- --runs 1 --seed ${result.seed}\n`,
      );
    }
  },
});
if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${reportLine(report)}\n`);
process.exit(report.failedSeeds.length > 0 ? 1 : 0);
