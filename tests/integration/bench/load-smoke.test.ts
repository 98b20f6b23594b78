// `npm run bench:load` at a small size, on both storages: 20 simulated agents in two tenants for
// 10 s against the service in its own process lose nothing and meet no error. No latency is asserted: it depends on
// the machine. PostgreSQL is the run's cluster under vitest.pg.config.ts, else one of its own.
import { describe, expect, it } from 'vitest';
import { runLoadBench, STORAGES } from '../../bench/load/run-load';
import { testPostgresUrl } from '../../support/test-database';

describe.each(STORAGES)('the load test on %s (npm run bench:load)', (database) => {
  it('runs 20 agents in two tenants for 10 s with no error and no lost mutation', async () => {
    const lines: string[] = [];
    const result = await runLoadBench({
      database,
      pgClusterUrl: testPostgresUrl() ?? undefined,
      agents: 20,
      seconds: 10,
      tickets: 200,
      tenants: 2,
      log: (line) => lines.push(line),
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${lines.slice(-40).join('\n')}`);
    });
    expect(result.errorSamples).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.agents).toBe(20);
    // Every agent made its contact and ticket at least.
    expect(result.acknowledged).toBeGreaterThanOrEqual(20 * 2);
    expect(result.acknowledged).toBe(result.mutations);
    expect(result.pushes).toBeGreaterThan(0);
    expect(result.pulls).toBeGreaterThan(0);
    expect(Number.isFinite(result.pushLatencyMs.p99)).toBe(true);
    expect(Number.isFinite(result.pullLatencyMs.p99)).toBe(true);
  }, 180_000);
});
