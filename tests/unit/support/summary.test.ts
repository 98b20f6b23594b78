import { describe, expect, it } from 'vitest';
import {
  checkResult,
  missingReport,
  playwrightResult,
  stepLine,
  summaryLine,
  total,
  vitestResult,
} from '../../support/summary';

const vitestReport = (overrides: Record<string, unknown> = {}) => ({
  numTotalTestSuites: 1,
  numPassedTestSuites: 1,
  numFailedTestSuites: 0,
  numTotalTests: 4,
  numPassedTests: 3,
  numFailedTests: 0,
  numPendingTests: 1,
  numTodoTests: 0,
  success: true,
  testResults: [
    {
      name: '/repo/tests/unit/a.test.ts',
      status: 'passed',
      message: '',
      assertionResults: [{ status: 'passed' }, { status: 'passed' }, { status: 'passed' }],
    },
  ],
  ...overrides,
});

describe('checkResult', () => {
  it('counts a check that exits 0 as one passed test', () => {
    expect(checkResult('lint', 0)).toMatchObject({ passed: 1, failed: 0, skipped: 0, notes: [] });
  });

  it('counts a check that fails or is killed as one failed test', () => {
    expect(checkResult('typecheck', 2)).toMatchObject({ passed: 0, failed: 1 });
    expect(checkResult('typecheck', null)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('vitestResult', () => {
  it('reads passed, failed and skipped (pending and todo) counts', () => {
    const result = vitestResult(vitestReport({ numTodoTests: 2 }), 0);
    expect(result).toMatchObject({ step: 'vitest', passed: 3, failed: 0, skipped: 3, notes: [] });
  });

  it('counts failed tests', () => {
    const result = vitestResult(
      vitestReport({
        numPassedTests: 2,
        numFailedTests: 1,
        success: false,
        testResults: [
          {
            name: 'a.test.ts',
            status: 'failed',
            assertionResults: [{ status: 'passed' }, { status: 'failed' }],
          },
        ],
      }),
      1,
    );
    expect(result).toMatchObject({ passed: 2, failed: 1 });
  });

  it('counts a test file that failed to load as one failed test', () => {
    const result = vitestResult(
      vitestReport({
        success: false,
        testResults: [
          {
            name: '/repo/tests/unit/b.test.ts',
            status: 'failed',
            message: "Cannot find module './x'\nstack",
            assertionResults: [],
          },
        ],
      }),
      1,
    );
    expect(result.failed).toBe(1);
    expect(result.notes).toEqual([
      "vitest: /repo/tests/unit/b.test.ts failed to run: Cannot find module './x'",
    ]);
  });

  it('fails when no tests were collected', () => {
    const result = vitestResult(
      vitestReport({ numTotalTests: 0, numPassedTests: 0, numPendingTests: 0, testResults: [] }),
      0,
    );
    expect(result).toMatchObject({ passed: 0, failed: 1 });
    expect(result.notes).toContain('vitest: no tests were collected');
  });

  it('fails when the runner exits non-zero with nothing else failed', () => {
    expect(vitestResult(vitestReport(), 1)).toMatchObject({ passed: 3, failed: 1 });
  });

  it('names the step it reads for, in the result and its notes', () => {
    const result = vitestResult(
      vitestReport({ numTotalTests: 0, numPassedTests: 0, numPendingTests: 0, testResults: [] }),
      1,
      'vitest (PostgreSQL)',
    );
    expect(result).toMatchObject({ step: 'vitest (PostgreSQL)', passed: 0, failed: 1 });
    expect(result.notes).toEqual(['vitest (PostgreSQL): no tests were collected']);
    expect(stepLine(result)).toBe('vitest (PostgreSQL): 0 passed, 1 failed');
  });

  it('treats a report without counts as missing', () => {
    expect(vitestResult({}, 0)).toMatchObject({ passed: 0, failed: 1 });
    expect(vitestResult(null, 0)).toMatchObject({ passed: 0, failed: 1 });
    expect(vitestResult([1, 2], 0)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('playwrightResult', () => {
  const report = (stats: Record<string, unknown>, errors: unknown[] = []) => ({
    config: {},
    suites: [],
    errors,
    stats: { startTime: '2026-01-01T00:00:00.000Z', duration: 10, ...stats },
  });

  it('reads expected, unexpected, flaky and skipped', () => {
    const result = playwrightResult(
      report({ expected: 5, unexpected: 2, flaky: 1, skipped: 3 }),
      1,
    );
    expect(result).toMatchObject({ step: 'playwright', passed: 6, failed: 2, skipped: 3 });
    expect(result.notes).toContain('playwright: 1 flaky test(s) passed on retry');
  });

  it('counts errors outside tests as one failed test', () => {
    const result = playwrightResult(
      report({ expected: 1, unexpected: 0, flaky: 0, skipped: 0 }, [{ message: 'x' }]),
      1,
    );
    expect(result).toMatchObject({ passed: 1, failed: 1 });
  });

  it('fails when no tests ran', () => {
    expect(
      playwrightResult(report({ expected: 0, unexpected: 0, flaky: 0, skipped: 0 }), 1),
    ).toMatchObject({ passed: 0, failed: 1 });
  });

  it('treats a report without stats as missing', () => {
    expect(playwrightResult({ errors: [] }, 1)).toMatchObject({ passed: 0, failed: 1 });
    expect(playwrightResult({ stats: { expected: 'x' } }, 0)).toMatchObject({ failed: 1 });
  });
});

describe('summary line', () => {
  it('sums every step, a missing report counting as one failure', () => {
    const totals = total([
      checkResult('lint', 0),
      checkResult('typecheck', 1),
      vitestResult(vitestReport(), 0),
      missingReport('playwright', 'not written'),
    ]);
    expect(totals).toEqual({ passed: 4, failed: 2, skipped: 1 });
    expect(summaryLine(totals)).toBe('4 passed, 2 failed, 1 skipped');
  });

  it('prints exactly `N passed, N failed` when nothing was skipped', () => {
    expect(summaryLine({ passed: 12, failed: 0, skipped: 0 })).toBe('12 passed, 0 failed');
    expect(summaryLine(total([]))).toBe('0 passed, 0 failed');
  });

  it('describes one step', () => {
    expect(stepLine(checkResult('lint', 0))).toBe('lint: 1 passed, 0 failed');
    expect(stepLine(vitestResult(vitestReport(), 0))).toBe('vitest: 3 passed, 0 failed, 1 skipped');
  });
});
