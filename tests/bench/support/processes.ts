import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_URL_ENV } from '../../../src-server/cli/open-data-dir';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

export type Log = (line: string) => void;

/**
 * Node's arguments to run a TypeScript file of the project (tsx as a loader, so that Node's own
 * flags apply), with a V8 CPU profile written to `cpuProfDir` at exit when given.
 */
export function tsNodeArgs(script: string, args: readonly string[], cpuProfDir?: string): string[] {
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir)}`] : [];
  return [...profile, '--import', 'tsx', script, ...args];
}

/**
 * Starts a TypeScript file of the project whose one argument is a JSON config file: `config` is
 * written beside its data folder first (`<script name>-config.json`). Its stderr is piped; its
 * stdout too, or shared with ours.
 */
export function spawnWithConfig(
  script: string,
  config: { dataDir: string },
  io: { stdout: 'inherit' | 'pipe'; cpuProfDir?: string | undefined },
): ChildProcess {
  const file = path.join(config.dataDir, '..', `${path.basename(script, '.ts')}-config.json`);
  writeFileSync(file, JSON.stringify(config));
  return spawn(process.execPath, tsNodeArgs(script, [file], io.cpuProfDir), {
    cwd: ROOT,
    stdio: ['ignore', io.stdout, 'pipe'],
  });
}

/** Runs a project binary (tsx, vite…) to its end; rejects with its last output when it fails. */
export function runBin(
  name: string,
  args: readonly string[],
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(BIN, name), args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      log(tail);
      reject(new Error(`${name} ${args.join(' ')} failed (exit code ${code})`));
    });
  });
}

/** Lines a child writes to `stream`, passed on one by one. */
export function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(onLine);
  });
}

/** This process's environment, pointing the service and its tools at PostgreSQL or at SQLite. */
function serviceEnv(databaseUrl: string | undefined, extra: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env[DATABASE_URL_ENV];
  if (databaseUrl) env[DATABASE_URL_ENV] = databaseUrl;
  return env;
}

/**
 * Fills the service's database (the SQLite file in `dataDir`, or PostgreSQL at `databaseUrl`) with
 * the demo tenant `tenant` (default `acme`) and `tickets` tickets: `npm run seed:demo`.
 */
export async function seedService(
  dataDir: string,
  tickets: number,
  log: Log,
  databaseUrl?: string,
  tenant?: string,
): Promise<void> {
  await runBin(
    'tsx',
    [
      'src-server/cli/seed-demo.ts',
      '--data-dir',
      dataDir,
      '--tickets',
      String(tickets),
      ...(tenant ? ['--tenant', tenant] : []),
    ],
    log,
    serviceEnv(databaseUrl),
  );
}

export interface ServiceProcess {
  url: string;
  /** The development CA's PEM. */
  ca: string;
  caFile: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the child has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface ServiceProcessOptions {
  /** Write a V8 CPU profile of the service here at exit. */
  cpuProfDir?: string | undefined;
  /** PostgreSQL instead of the SQLite file in the data folder (given in the environment). */
  databaseUrl?: string | undefined;
  /** More arguments of `npm run server` (`--demo`, `--port N`…; a later `--port` wins). */
  args?: readonly string[];
}

/**
 * `npm run server` on a free port of 127.0.0.1, in its own process, until stop(). On PostgreSQL
 * the data folder holds only the TLS material and the token secret: processes that serve one
 * database side by side share them by sharing (a copy of) the folder.
 */
export function startService(
  dataDir: string,
  log: Log,
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const args = ['--port', '0', '--data-dir', dataDir, ...(options.args ?? [])];
  const child = spawn(
    process.execPath,
    tsNodeArgs('src-server/cli/server.ts', args, options.cpuProfDir),
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: serviceEnv(options.databaseUrl, { LOG_LEVEL: 'warn' }),
    },
  );
  eachLine(child.stderr!, (line) => log(`service: ${line}`));
  // Never outlive the benchmark, even when it fails before stop().
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  return new Promise((resolve, reject) => {
    let url: string | null = null;
    child.on('error', reject);
    child.once('exit', (code) => reject(new Error(`the service exited (code ${code})`)));
    let started = false;
    eachLine(child.stdout!, (line) => {
      // After the start, its log (warnings and errors, as JSON lines) goes to `log` too.
      if (started) return log(`service: ${line}`);
      url ??= /listening on (\S+)/.exec(line)?.[1] ?? null;
      const caFile = /Development CA \(trust this in clients\): (\S+)/.exec(line)?.[1];
      if (!url || !caFile || !existsSync(caFile)) return;
      started = true;
      resolve({
        url,
        ca: readFileSync(caFile, 'utf8'),
        caFile,
        dataDir,
        pid: child.pid!,
        stop: () => stopChild(child),
      });
    });
  });
}

/**
 * Another service process beside `first`, on the same PostgreSQL database: its data folder
 * (`dataDir`) gets copies of the first's TLS material and token secret, all that service processes
 * behind one address share besides the database (docs/scaling.md).
 */
export function startSecondService(
  first: ServiceProcess,
  dataDir: string,
  log: Log,
  options: ServiceProcessOptions & { databaseUrl: string },
): Promise<ServiceProcess> {
  cpSync(path.join(first.dataDir, 'tls'), path.join(dataDir, 'tls'), { recursive: true });
  cpSync(path.join(first.dataDir, 'secret.key'), path.join(dataDir, 'secret.key'));
  return startService(dataDir, log, options);
}
