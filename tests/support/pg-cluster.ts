import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian puts PostgreSQL 15's server programs (initdb, pg_ctl); overridable for other hosts. */
const PG_BIN = process.env['HELPDESK_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** Every cluster's folder in the temp folder starts so; `owner` in it holds its process id. */
const DIR_PREFIX = 'helpdesk-pg-';
/**
 * A folder without an owner (from before owners were written, or half made) counts as stale this
 * long after it was made, and only if no server runs in it: whose it is cannot be told.
 */
const UNOWNED_STALE_MS = 10 * 60_000;

/** Why no cluster can be started here (initdb or pg_ctl missing), or null. */
export function postgresUnavailable(): string | null {
  const missing = ['initdb', 'pg_ctl'].map((p) => join(PG_BIN, p)).filter((p) => !existsSync(p));
  if (missing.length === 0) return null;
  return (
    `PostgreSQL's server programs are missing (${missing.join(', ')}): install PostgreSQL 15 ` +
    '(Debian: apt-get install postgresql, as .ci/run does) or set HELPDESK_PG_BIN to the folder ' +
    'that holds initdb and pg_ctl'
  );
}

export interface PgCluster {
  /** Superuser URL of the cluster's `postgres` database, over TCP on 127.0.0.1. */
  url: string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A throwaway PostgreSQL cluster in a temp folder: trust auth on loopback, no fsync (nothing here
 * must survive a crash) unless `durable` (benchmarks: commits as durable as SQLite's), its socket
 * inside the folder. PostgreSQL refuses to run as root, so as root the folder is given to the
 * `postgres` user and the programs run as that user.
 */
export async function startPgCluster(options: { durable?: boolean } = {}): Promise<PgCluster> {
  const unavailable = postgresUnavailable();
  if (unavailable) throw new Error(unavailable);
  removeStaleClusters();
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, 'owner'), String(process.pid));
  const data = join(dir, 'data');
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  } else {
    mkdirSync(data, { mode: 0o700 });
  }
  const port = await freePort();
  try {
    pg('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      ...(options.durable
        ? []
        : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=300',
    ].join(' ');
    pg('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = stopOnce(dir);
  // A run stopped by Ctrl-C or a kill takes its cluster with it; one killed outright (SIGKILL)
  // leaves it to the next start's removeStaleClusters.
  const onSignal = (signal: NodeJS.Signals) => {
    stopNow();
    // With no other handler the signal's default (ending the process) is what the sender meant.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const stopNow = () => {
    process.off('exit', stopNow).off('SIGINT', onSignal).off('SIGTERM', onSignal);
    stop();
  };
  process.on('exit', stopNow).on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop: stopNow };
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs one of PostgreSQL's programs; as root, as the `postgres` user (it refuses root). */
function pg(program: string, args: string[]): void {
  const command = asRoot()
    ? ['runuser', '-u', 'postgres', '--', join(PG_BIN, program), ...args]
    : [join(PG_BIN, program), ...args];
  const result = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${program} failed: ${result.error?.message ?? ''}${result.stderr}`);
  }
}

/** Stops the cluster in `dir` (if its server runs) and removes the folder; a second call does nothing. */
function stopOnce(dir: string): () => void {
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    try {
      if (existsSync(join(dir, 'data', 'postmaster.pid'))) {
        pg('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function serverRunsIn(dir: string): boolean {
  try {
    return isAlive(
      Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]),
    );
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  // 0 and negative ids name process groups, not a process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Clusters whose owning process is gone (a test run killed outright): stopped and removed. */
function removeStaleClusters(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    let stale: boolean;
    try {
      const owner = Number(readFileSync(join(dir, 'owner'), 'utf8'));
      stale = !isAlive(owner);
    } catch {
      const made = statSync(dir, { throwIfNoEntry: false })?.mtimeMs;
      stale = made !== undefined && Date.now() - made > UNOWNED_STALE_MS && !serverRunsIn(dir);
    }
    if (!stale) continue;
    try {
      stopOnce(dir)();
    } catch {
      // A cluster that cannot be stopped is not worth failing this run over; its folder is gone.
    }
  }
}
