import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Runs a project binary (tsx, vite…) to its end; rejects with its last output when it fails. */
export function runBin(name: string, args: readonly string[], log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(BIN, name), args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
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

/** Fills `dataDir` with the demo tenant `acme` and `tickets` tickets: `npm run seed:demo`. */
export async function seedService(dataDir: string, tickets: number, log: Log): Promise<void> {
  await runBin(
    'tsx',
    ['src-server/cli/seed-demo.ts', '--data-dir', dataDir, '--tickets', String(tickets)],
    log,
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

function stopChild(child: ChildProcess): Promise<void> {
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

/** `npm run server` on a free port of 127.0.0.1, in its own process, until stop(). */
export function startService(
  dataDir: string,
  log: Log,
  cpuProfDir?: string,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    tsNodeArgs('src-server/cli/server.ts', ['--port', '0', '--data-dir', dataDir], cpuProfDir),
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
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
    eachLine(child.stdout!, (line) => {
      url ??= /listening on (\S+)/.exec(line)?.[1] ?? null;
      const caFile = /Development CA \(trust this in clients\): (\S+)/.exec(line)?.[1];
      if (!url || !caFile || !existsSync(caFile)) return;
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
