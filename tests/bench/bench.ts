/**
 * `npm run bench -- [--tickets N] [--json FILE] [--skip PARTS] [--load-seconds S] [--load-agents A]
 *   [--pouchdb-docs D] [--rounds R] [--work-dir DIR] [--keep-data] [--cpu-prof DIR]`: see
 *   tests/bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resultTable } from './results';
import { DEFAULTS, PARTS, runBenchmark, type Part } from './run-benchmark';
import { countOption as count } from './support/cli-args';

const usage = `Usage: npm run bench -- [--tickets N] [--json FILE] [--skip ${PARTS.join(',')}]
       [--load-seconds S] [--load-agents A] [--pouchdb-docs D] [--rounds R] [--work-dir DIR]
       [--keep-data] [--cpu-prof DIR]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string' },
      json: { type: 'string' },
      skip: { type: 'string', default: '' },
      'load-seconds': { type: 'string' },
      'load-agents': { type: 'string' },
      'pouchdb-docs': { type: 'string' },
      rounds: { type: 'string' },
      'work-dir': { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const skip = values.skip.split(',').filter(Boolean);
  const unknown = skip.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}\n${usage}`);
  const rounds = count(values.rounds, DEFAULTS.rounds, 'rounds');
  // The figures are the rounds' medians: of an even count, the lower middle would be reported.
  if (rounds % 2 === 0) throw new Error(`--rounds must be odd\n${usage}`);
  const started = performance.now();
  const result = await runBenchmark({
    ...DEFAULTS,
    tickets: count(values.tickets, DEFAULTS.tickets, 'tickets'),
    skip: skip as Part[],
    loadSeconds: count(values['load-seconds'], DEFAULTS.loadSeconds, 'load-seconds'),
    loadAgents: count(values['load-agents'], DEFAULTS.loadAgents, 'load-agents'),
    pouchdbDocs: count(values['pouchdb-docs'], DEFAULTS.pouchdbDocs, 'pouchdb-docs'),
    rounds,
    workDir: values['work-dir'] ?? DEFAULTS.workDir,
    keepData: values['keep-data'],
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(resultTable(result));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
