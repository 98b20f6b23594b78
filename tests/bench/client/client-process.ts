/**
 * The desktop side of the benchmark in a process of its own, so that its resident memory is the
 * client's alone: `tsx tests/bench/client/client-process.ts CONFIG.json` signs in, runs the initial
 * sync and the steps the config names, and writes a ClientResult to config.resultFile. Progress
 * goes to stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { percentiles } from '../support/stats';
import { BenchClient } from './bench-client';
import type { ClientConfig, ClientResult, ClientStep } from './client-config';
import { measureIncrementalPull } from './incremental-pull';
import { measureInitialSync } from './initial-sync';
import { measureMutations, measurePush } from './mutations';
import { measureQueries } from './queries';

const say = (line: string) => process.stderr.write(`client: ${line}\n`);

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ClientConfig;
  const wants = (step: ClientStep) => config.steps.includes(step);
  const rssAtStartMb = process.memoryUsage().rss / 2 ** 20;
  const client = await BenchClient.signIn(config.service, config.account, config.dataDir);
  say('initial sync…');
  const initialSync = await measureInitialSync(client);
  const result: ClientResult = {
    initialSync,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    rssAtStartMb,
  };
  say(`initial sync: ${initialSync.rows} rows in ${initialSync.seconds.toFixed(1)} s`);
  if (wants('queries')) {
    say('queries…');
    result.queries = measureQueries(client.replica.db, client.userId);
  }
  if (wants('incremental')) {
    say('incremental pull…');
    result.incremental = await measureIncrementalPull(
      client,
      config.service,
      config.otherAccount,
      config.changes,
    );
  }
  if (wants('mutations')) {
    say('local mutations and push…');
    const samples = measureMutations(client.replica, config.changes);
    result.mutations = { ...percentiles(samples), count: samples.length };
    result.push = await measurePush(client);
  }
  await client.close();
  if (wants('ui')) {
    say('browser preview…');
    // Loaded only now: Playwright is no part of the client whose memory was measured.
    const { measureUi } = await import('./ui');
    result.ui = await measureUi({
      service: config.service,
      account: config.account,
      dataDir: config.dataDir,
      rendererDir: config.rendererDir,
      rows: config.scrollRows,
      log: say,
      cpuProfDir: config.cpuProfDir,
    });
  }
  writeFileSync(config.resultFile, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
