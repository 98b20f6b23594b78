import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { childEnv, type ChildLaunch } from '../../../support/child-bundle';
import { ackOf } from './crash-checks';
import type { CrashAck, CrashChildConfig } from './crash-acks';

/** One life of crash-child.ts: its lines, what it acknowledged, and how it ended. */
export interface ChildLife {
  lines: string[];
  acks: CrashAck[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface RunningChild {
  process: ChildProcess;
  life: ChildLife;
  /** Resolves once the process has ended and every line it wrote has been read. */
  ended: Promise<ChildLife>;
}

const running = new Set<ChildProcess>();

/** Starts the child; `onLine` sees each line as it is read (to kill or stop it there). */
export function startCrashChild(
  root: string,
  launch: ChildLaunch,
  config: CrashChildConfig,
  onLine: (line: string, child: ChildProcess) => void = () => undefined,
): RunningChild {
  const child = spawn(process.execPath, [...launch, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(root),
  });
  running.add(child);
  const life: ChildLife = { lines: [], acks: [], code: null, signal: null, stderr: '' };
  child.stderr!.on('data', (chunk: Buffer) => (life.stderr += chunk.toString('utf8')));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    life.lines.push(line);
    const ack = ackOf(line);
    if (ack) life.acks.push(ack);
    onLine(line, child);
  });
  const ended = new Promise<ChildLife>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      life.code = code;
      life.signal = signal;
      resolve(life);
    });
  });
  return { process: child, life, ended };
}

/** Kills every child still running (a failed test's). */
export function killCrashChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Whether a killed life died inside a transaction: after a `begin` line with no ack after it. */
export function diedInside(life: ChildLife): boolean {
  return life.lines.at(-1)?.startsWith('begin ') ?? false;
}
