// Pure logic behind `npm test` (tests/run-all.ts): turn each step's exit code and JSON report into
// counts, and print the one summary line. Tests: tests/unit/support/summary.test.ts.

export interface StepResult {
  readonly step: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Why something counted as failed beyond the runner's own test counts. */
  readonly notes: readonly string[];
}

export interface Totals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A check such as lint or typecheck counts as one test. */
export function checkResult(step: string, exitCode: number | null): StepResult {
  const ok = exitCode === 0;
  return {
    step,
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
    skipped: 0,
    notes: ok ? [] : [`${step} exited with code ${String(exitCode)}`],
  };
}

/** A runner whose report is missing or unreadable counts as one failed test. */
export function missingReport(step: string, reason: string): StepResult {
  return { step, passed: 0, failed: 1, skipped: 0, notes: [`${step}: no report (${reason})`] };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(report: Json, key: string): number | undefined {
  const value = report[key];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * A failure the runner's counts do not show (a test file that failed to load, an error outside
 * any test, a non-zero exit) adds one failed test, so that it can never read as a pass.
 */
function withExit(result: StepResult, exitCode: number | null): StepResult {
  if (exitCode === 0 || result.failed > 0) return result;
  return {
    ...result,
    failed: result.failed + 1,
    notes: [...result.notes, `${result.step} exited with code ${String(exitCode)}`],
  };
}

/** Vitest's `--reporter=json` output, for the step named `step` (there is one per config). */
export function vitestResult(
  report: unknown,
  exitCode: number | null,
  step = 'vitest',
): StepResult {
  if (!isObject(report)) return missingReport(step, 'not a JSON object');
  const passed = count(report, 'numPassedTests');
  const failed = count(report, 'numFailedTests');
  const total = count(report, 'numTotalTests');
  if (passed === undefined || failed === undefined || total === undefined) {
    return missingReport(step, 'numPassedTests, numFailedTests or numTotalTests missing');
  }
  const skipped = (count(report, 'numPendingTests') ?? 0) + (count(report, 'numTodoTests') ?? 0);
  const notes: string[] = [];

  // A test file that fails to load has status 'failed' and no failed test in it.
  let brokenFiles = 0;
  const files = Array.isArray(report['testResults']) ? report['testResults'] : [];
  for (const file of files) {
    if (!isObject(file) || file['status'] !== 'failed') continue;
    const tests = Array.isArray(file['assertionResults']) ? file['assertionResults'] : [];
    if (tests.some((test) => isObject(test) && test['status'] === 'failed')) continue;
    brokenFiles += 1;
    const message = typeof file['message'] === 'string' ? file['message'].split('\n')[0] : '';
    notes.push(`${step}: ${String(file['name'])} failed to run${message ? `: ${message}` : ''}`);
  }

  let zero = 0;
  if (total === 0) {
    zero = 1;
    notes.push(`${step}: no tests were collected`);
  }
  return withExit({ step, passed, failed: failed + brokenFiles + zero, skipped, notes }, exitCode);
}

/** Playwright's `--reporter=json` output. Flaky tests passed on a retry and count as passed. */
export function playwrightResult(report: unknown, exitCode: number | null): StepResult {
  const step = 'playwright';
  if (!isObject(report) || !isObject(report['stats'])) {
    return missingReport(step, 'no stats in the report');
  }
  const stats = report['stats'];
  const expected = count(stats, 'expected');
  const unexpected = count(stats, 'unexpected');
  if (expected === undefined || unexpected === undefined) {
    return missingReport(step, 'stats.expected or stats.unexpected missing');
  }
  const flaky = count(stats, 'flaky') ?? 0;
  const skipped = count(stats, 'skipped') ?? 0;
  const notes: string[] = [];
  let extra = 0;
  const errors = Array.isArray(report['errors']) ? report['errors'] : [];
  if (errors.length > 0) {
    extra += 1;
    notes.push(`playwright: ${errors.length} error(s) outside tests`);
  }
  if (expected + unexpected + flaky + skipped === 0) {
    extra += 1;
    notes.push('playwright: no tests were collected');
  }
  if (flaky > 0) notes.push(`playwright: ${flaky} flaky test(s) passed on retry`);
  return withExit(
    { step, passed: expected + flaky, failed: unexpected + extra, skipped, notes },
    exitCode,
  );
}

export function total(results: readonly StepResult[]): Totals {
  return results.reduce<Totals>(
    (sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

/** The last line `npm test` prints: `N passed, N failed`, then `, N skipped` when any were. */
export function summaryLine(totals: Totals): string {
  const line = `${totals.passed} passed, ${totals.failed} failed`;
  return totals.skipped > 0 ? `${line}, ${totals.skipped} skipped` : line;
}

/** One line per step for the breakdown printed just before the summary line. */
export function stepLine(result: StepResult): string {
  const skipped = result.skipped > 0 ? `, ${result.skipped} skipped` : '';
  return `${result.step}: ${result.passed} passed, ${result.failed} failed${skipped}`;
}
