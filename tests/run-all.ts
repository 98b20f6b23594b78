// `npm test`: lint, typecheck, vitest, the service's tests again on PostgreSQL, Playwright when
// the project has a config for it, then the chaos series.
// Each step streams its output live. Lint and typecheck count as one test each; a failing step never
// stops the later ones. The very last line printed is `N passed, N failed` (`, N skipped` appended
// when any were), and the exit code is non-zero when anything failed or a report is missing.

import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresUnavailable } from './support/pg-cluster';
import {
  checkResult,
  missingReport,
  playwrightResult,
  stepLine,
  summaryLine,
  total,
  vitestResult,
  type StepResult,
} from './support/summary';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'test-results');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PLAYWRIGHT_CONFIGS = [
  'playwright.config.ts',
  'playwright.config.mts',
  'playwright.config.js',
];

function banner(title: string): void {
  process.stdout.write(`\n=== ${title} ===\n`);
}

/** Runs a command with inherited stdio; resolves to its exit code (null if killed by a signal). */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<number | null>((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env });
    child.on('error', (error) => {
      process.stderr.write(`could not start ${command}: ${error.message}\n`);
      resolve(127);
    });
    child.on('close', (code) => resolve(code));
  });
}

function onPath(name: string): boolean {
  return (process.env['PATH'] ?? '').split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * Keychain tests need a Secret Service: when one is available to start and none is running, run
 * the command inside a private D-Bus session with an unlocked gnome-keyring. `--unlock` returns
 * before the daemon owns its bus name; waiting for the name (up to 5 s) keeps the first client from
 * D-Bus-activating a second daemon, which would outlive the session and hold our output open.
 */
function withKeyring(command: readonly string[]): readonly string[] {
  const wanted =
    !process.env['HELPDESK_NO_KEYRING'] &&
    !process.env['DBUS_SESSION_BUS_ADDRESS'] &&
    onPath('dbus-run-session') &&
    onPath('gnome-keyring-daemon');
  if (!wanted) return command;
  const script = [
    'echo -n pw | XDG_DATA_HOME=$(mktemp -d) gnome-keyring-daemon --unlock --components=secrets >/dev/null',
    'i=0',
    "until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' || [ $i -ge 50 ]; do i=$((i+1)); sleep 0.1; done",
    `exec ${command.map(shellQuote).join(' ')}`,
  ].join('; ');
  return ['dbus-run-session', '--', 'sh', '-c', script];
}

function readReport(
  file: string,
  step: string,
  parse: (report: unknown) => StepResult,
): StepResult {
  if (!existsSync(file)) return missingReport(step, `${path.relative(ROOT, file)} was not written`);
  try {
    return parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    return missingReport(step, `cannot read ${path.relative(ROOT, file)}: ${String(error)}`);
  }
}

/** One vitest run (`config`: vitest's default when null) with its JSON report, as step `step`. */
async function vitestStep(
  step: string,
  report: string,
  config: string | null,
): Promise<StepResult> {
  banner(step);
  const json = path.join(RESULTS, report);
  rmSync(json, { force: true });
  const [command, ...args] = withKeyring([
    path.join(BIN, 'vitest'),
    'run',
    ...(config ? ['--config', config] : []),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${json}`,
  ]);
  const exit = await run(command ?? 'vitest', args);
  return readReport(json, step, (parsed) => vitestResult(parsed, exit, step));
}

async function main(): Promise<number> {
  const results: StepResult[] = [];
  mkdirSync(RESULTS, { recursive: true });

  banner('lint');
  results.push(checkResult('lint', await run(NPM, ['run', 'lint'])));

  banner('typecheck');
  results.push(checkResult('typecheck', await run(NPM, ['run', 'typecheck'])));

  results.push(await vitestStep('vitest', 'vitest.json', null));

  // The service's tests again on a throwaway PostgreSQL cluster; never skipped for want of one.
  const postgres = 'vitest (PostgreSQL)';
  const unavailable = postgresUnavailable();
  if (unavailable) {
    banner(postgres);
    process.stdout.write(`${unavailable}\n`);
    results.push(missingReport(postgres, unavailable));
  } else {
    results.push(await vitestStep(postgres, 'vitest-pg.json', 'vitest.pg.config.ts'));
  }

  const playwrightConfig = PLAYWRIGHT_CONFIGS.find((name) => existsSync(path.join(ROOT, name)));
  if (playwrightConfig) {
    banner('playwright');
    const playwrightJson = path.join(RESULTS, 'playwright.json');
    rmSync(playwrightJson, { force: true });
    // The preview's core keeps refresh tokens in the keychain, as the app does.
    const [playwrightCommand, ...playwrightArgs] = withKeyring([
      path.join(BIN, 'playwright'),
      'test',
      '--config',
      playwrightConfig,
      '--reporter=list,json',
    ]);
    const exit = await run(playwrightCommand ?? 'playwright', playwrightArgs, {
      ...process.env,
      PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightJson,
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
    });
    results.push(
      readReport(playwrightJson, 'playwright', (report) => playwrightResult(report, exit)),
    );
  }

  // Last, with the machine to itself: a few hundred chaos runs (tests/integration/chaos).
  results.push(await vitestStep('vitest (chaos)', 'vitest-chaos.json', 'vitest.chaos.config.ts'));

  banner('summary');
  for (const result of results) {
    process.stdout.write(`${stepLine(result)}\n`);
    for (const note of result.notes) process.stdout.write(`  ${note}\n`);
  }
  const totals = total(results);
  process.stdout.write(`${summaryLine(totals)}\n`);
  return totals.failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exitCode = 1;
  },
);
