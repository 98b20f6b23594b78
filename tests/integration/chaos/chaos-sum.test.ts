import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import type { RunResult } from '../../chaos/chaos-run';
import type { ChaosReport } from '../../chaos/chaos-series';

/** `npm run chaos:sum`: the runs of several `--append` files summed as one series. */
const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'helpdesk-chaos-sum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (seed: number, healToDrainedMs: number | null, more: Partial<RunResult> = {}) =>
  JSON.stringify({
    seed,
    ms: 1000,
    lost: [],
    doubled: [],
    diverged: [],
    stuck: [],
    healToDrainedMs,
    edits: 3,
    kills: 1,
    reauths: 0,
    faults: { 'cut-before': 2 },
    errors: [],
    ...more,
  } satisfies RunResult);

it('sums the runs of several files, gzipped or not, counts a seed once and a cut line apart', async () => {
  const first = join(dir, 'a.jsonl');
  const second = join(dir, 'b.jsonl.gz');
  writeFileSync(first, [result(1, 100), result(2, 300), result(3, 200)].join('\n') + '\n');
  // Seed 3 again (its last result counts), and the line a stopped series was writing.
  writeFileSync(second, gzipSync(`${result(3, 250)}\n${result(10, 400)}\n{"seed": 11, "ms"`));
  const json = join(dir, 'sum.json');
  const { stdout } = await run(tsx, ['tests/chaos/chaos-sum.ts', first, second, '--json', json], {
    cwd: root,
  });
  expect(stdout).toContain('4 runs, seeds 1–10: lost 0, doubled 0, diverged 0, stuck 0, errors 0');
  expect(stdout).toContain('1 unreadable lines skipped');
  const report = JSON.parse(readFileSync(json, 'utf8')) as ChaosReport;
  expect(report).toMatchObject({
    runs: 4,
    seeds: { first: 1, last: 10 },
    edits: 12,
    kills: 4,
    faults: { 'cut-before': 8 },
    healToDrainedMs: { p50: 250, p99: 400, max: 400 },
    runsPerMinute: null,
    failedSeeds: [],
  });
});

it('fails and names each failed seed with its findings', async () => {
  const file = join(dir, 'failed.jsonl');
  writeFileSync(
    file,
    `${result(5, null, { stuck: ['client 1: 2 in the outbox'] })}\n${result(6, 120)}\n`,
  );
  const failure = await run(tsx, ['tests/chaos/chaos-sum.ts', file], { cwd: root }).then(
    () => null,
    (error: { code: number; stdout: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stdout).toContain('stuck 1');
  expect(failure?.stdout).toContain('FAILED seed 5:\n  stuck: client 1: 2 in the outbox');
});
