// `npm run bench` end to end at a small size: every part runs (the UI part builds its own copy of
// the renderer) in its rounds and yields its figures, and the simulated agents lose nothing. No
// target is asserted: the figures depend on the machine.
import { describe, expect, it } from 'vitest';
import { TABLE_FIELDS, type RoundResult } from '../../bench/results';
import { DEFAULTS, runBenchmark } from '../../bench/run-benchmark';

const MUST_BE_ZERO = new Set(['loadErrors', 'loadLostMutations']);

describe('the benchmark (npm run bench)', () => {
  it('measures every figure with 2,000 tickets, and 20 agents lose no mutation', async () => {
    const lines: string[] = [];
    const result = await runBenchmark({
      ...DEFAULTS,
      tickets: 2000,
      loadAgents: 20,
      loadSeconds: 3,
      rounds: 3,
      log: (line) => lines.push(line),
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${lines.slice(-40).join('\n')}`);
    });

    expect(result.skipped).toEqual([]);
    expect(result.tickets).toBe(2000);
    expect(result.comments).toBeGreaterThan(2000);
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.cpu).not.toBe('');
    for (const field of TABLE_FIELDS) {
      const value = result[field];
      if (MUST_BE_ZERO.has(field)) expect(value, field).toBe(0);
      else expect(Number.isFinite(value) && value! > 0, `${field} = ${value}`).toBe(true);
    }
    expect(result.pouchdbMeasuredDocs).toBe(result.rows);
    // Three rounds of raw insert, PouchDB and initial sync, each a figure of its own; the fields are
    // their medians and the ratios those of the medians.
    expect(result.rounds).toHaveLength(3);
    const middle = (field: keyof RoundResult) => {
      const values = result.rounds.map((round) => round[field]!);
      for (const value of values) expect(value, field).toBeGreaterThan(0);
      return [...values].sort((a, b) => a - b)[1];
    };
    expect(result.rawInsertSeconds).toBe(middle('rawInsertSeconds'));
    expect(result.pouchdbSeconds).toBe(middle('pouchdbSeconds'));
    expect(result.pouchdbMeasuredSeconds).toBe(middle('pouchdbMeasuredSeconds'));
    expect(result.initialSyncSeconds).toBe(middle('initialSyncSeconds'));
    expect(result.initialSyncCpuSeconds).toBe(middle('initialSyncCpuSeconds'));
    expect(result.speedupVsPouchdb).toBe(result.pouchdbSeconds! / result.initialSyncSeconds!);
    expect(result.syncVsRaw).toBe(result.rawInsertSeconds! / result.initialSyncSeconds!);
    // The UI figure is the median of several app starts, each listed.
    expect(result.uiStartsMs).toHaveLength(5);
    expect([...result.uiStartsMs!].sort((a, b) => a - b)[2]).toBe(
      Math.round(result.uiInteractiveMs!),
    );
    expect(result.loadMutations).toBeGreaterThanOrEqual(result.loadAgents! * 2);
    expect(Object.keys(result.targets)).toContain('syncVsRaw');
  }, 240_000);
});
