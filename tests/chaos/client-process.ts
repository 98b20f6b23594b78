import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { bundleChild, childEnv, type ChildLaunch } from '../support/child-bundle';
import type { ClientCommand, ClientConfig } from './chaos-client';
import type { Edit } from './random-edit';

/**
 * The parent's side of a chaos client (chaos-client.ts): starts it, sends it commands, reads what
 * it reports, and SIGKILLs it. The client is bundled once per series (tests/support/child-bundle.ts).
 */
export function bundleClient(root: string, outDir: string): Promise<ChildLaunch> {
  return bundleChild(root, 'tests/chaos/chaos-client.ts', outDir);
}

const REPLIES = new Set<string>(['edit', 'skipped', 'drained', 'stuck', 'settled']);

interface Waiter {
  resolve: (line: string | null) => void;
}

export class ClientProcess {
  /** Every edit the client reported committed, over all its lives. */
  readonly edits: Edit[] = [];
  kills = 0;
  reauths = 0;
  /** Output of a life that ended by itself with an error (a crash is a failed run). */
  crashes: string[] = [];
  private child: ChildProcess | null = null;
  private waiters: Waiter[] = [];
  private ready: Promise<boolean> = Promise.resolve(false);

  constructor(
    private readonly launch: ChildLaunch,
    private readonly root: string,
    readonly config: ClientConfig,
  ) {}

  get alive(): boolean {
    return this.child !== null;
  }

  start(): void {
    if (this.child) return;
    const child = spawn(process.execPath, [...this.launch, JSON.stringify(this.config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: childEnv(this.root),
    });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin!.on('error', () => undefined);
    let markReady: (ok: boolean) => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [word = '', ...rest] = line.split(' ');
      const payload = rest.join(' ');
      // Committed is committed, even when reported by a life that has been killed since.
      if (word === 'edit') this.edits.push(JSON.parse(payload) as Edit);
      if (word === 'reauth') this.reauths += 1;
      // A killed life's last lines can still be in the pipe: they answer nothing of this life.
      if (this.child !== child) return;
      if (word === 'ready') markReady(true);
      else if (REPLIES.has(word)) this.waiters.shift()?.resolve(line);
    });
    child.on('exit', (code, signal) => {
      markReady(false);
      // After kill() the next life may already be waiting for its answers: leave them be.
      if (this.child === child) {
        this.child = null;
        for (const waiter of this.waiters.splice(0)) waiter.resolve(null);
      }
      if (signal !== 'SIGKILL' && code !== 0) {
        this.crashes.push(`exit ${code ?? signal}: ${stderr.slice(-2000)}`);
      }
    });
  }

  /**
   * Resolves true once signed in and running, false if the process ended first or `timeoutMs`
   * passed (a client with no session cannot sign in while offline).
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return Promise.race([this.ready, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Sends a command and resolves with the reply line, or null when the process ends first or
   * `timeoutMs` passes (a later reply to it is then dropped).
   */
  ask(command: ClientCommand, timeoutMs: number): Promise<string | null> {
    const child = this.child;
    if (!child) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiter.resolve = () => undefined;
        resolve(null);
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(waiter);
      child.stdin!.write(`${JSON.stringify(command)}\n`);
    });
  }

  kill(): void {
    if (!this.child) return;
    this.kills += 1;
    this.child.kill('SIGKILL');
    this.child = null;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(null);
  }

  /** Asks the client to close its service and exit; resolves when it has. */
  async exit(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin!.write(`${JSON.stringify({ op: 'exit' } satisfies ClientCommand)}\n`);
    await exited;
  }
}
