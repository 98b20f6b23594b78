/**
 * `npm run chaos:sum -- RUNS.jsonl [MORE.jsonl…] [--json FILE]`: the report of every run that
 * `npm run chaos -- --append` wrote (gzipped when the name ends in .gz), as one series (a seed run twice counts once, its last
 * result). A line cut short by a stopped series is skipped and counted. Exits non-zero when any
 * run failed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { RunResult } from './chaos-run';
import { reportLine, summarise } from './chaos-series';

const { values, positionals } = parseArgs({
  options: { json: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  process.stderr.write('Usage: npm run chaos:sum -- RUNS.jsonl [MORE.jsonl…] [--json FILE]\n');
  process.exit(2);
}

const bySeed = new Map<number, RunResult>();
let unreadable = 0;
for (const file of positionals) {
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const result = JSON.parse(line) as RunResult;
      bySeed.set(result.seed, result);
    } catch {
      unreadable += 1;
    }
  }
}
const report = summarise([...bySeed.values()], null);
if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `${reportLine(report)}${unreadable ? `; ${unreadable} unreadable lines skipped` : ''}\n`,
);
for (const [seed, failures] of Object.entries(report.failures)) {
  process.stdout.write(`FAILED seed ${seed}:\n  ${failures.join('\n  ')}\n`);
}
process.exit(report.failedSeeds.length > 0 ? 1 : 0);
