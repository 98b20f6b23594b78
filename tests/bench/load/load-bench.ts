/**
 * `npm run bench:load -- [--database sqlite|postgres|both] [--agents 200] [--seconds 120]
 *   [--tickets 2000] [--tenants 1] [--processes 1] [--pg-cluster-url URL] [--json FILE] [--work-dir DIR]`: see tests/bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { countOption } from '../support/cli-args';
import { loadReport, runLoadBench, STORAGES, type LoadBenchResult } from './run-load';

const usage = `Usage: npm run bench:load -- [--database sqlite|postgres|both] [--agents 200] [--seconds 120]
       [--tickets 2000] [--tenants 1] [--processes 1] [--pg-cluster-url postgres://SUPERUSER@HOST:PORT/postgres] [--json FILE] [--work-dir DIR]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string', default: 'both' },
      agents: { type: 'string' },
      seconds: { type: 'string' },
      tickets: { type: 'string' },
      tenants: { type: 'string' },
      processes: { type: 'string' },
      'pg-cluster-url': { type: 'string' },
      json: { type: 'string' },
      'work-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const databases = values.database === 'both' ? STORAGES : [values.database];
  const results: LoadBenchResult[] = [];
  for (const database of databases) {
    if (!(STORAGES as readonly string[]).includes(database)) {
      throw new Error(`unknown database ${database}\n${usage}`);
    }
    const result = await runLoadBench({
      database: database as LoadBenchResult['database'],
      pgClusterUrl: values['pg-cluster-url'],
      agents: countOption(values.agents, 200, 'agents'),
      seconds: countOption(values.seconds, 120, 'seconds'),
      tickets: countOption(values.tickets, 2000, 'tickets'),
      tenants: countOption(values.tenants, 1, 'tenants'),
      processes: countOption(values.processes, 1, 'processes'),
      ...(values['work-dir'] ? { workDir: values['work-dir'] } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    results.push(result);
    console.log(loadReport(result));
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
  if (results.some((r) => r.errors > 0 || r.lost > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
