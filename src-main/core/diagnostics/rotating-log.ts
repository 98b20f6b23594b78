import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';

export interface RotatingLogOptions {
  dir: string;
  /** Files are `<name>.log`, then `<name>.1.log` (the previous one) … `<name>.<generations>.log`. */
  name?: string;
  /** A file is rotated before a line would take it over this size. */
  maxBytes?: number;
  /** Older files kept besides the current one. */
  generations?: number;
}

export const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
export const DEFAULT_LOG_GENERATIONS = 4;

/**
 * An append-only log of lines in a few size-capped files: an app left open for years keeps at
 * most (generations + 1) × maxBytes on disk. Writes are synchronous appends, so the last line
 * before a crash is on disk; the files are the owner's only (0600 in a 0700 folder).
 */
export class RotatingLog {
  readonly dir: string;
  private readonly name: string;
  private readonly maxBytes: number;
  private readonly generations: number;
  private size: number;

  constructor(options: RotatingLogOptions) {
    this.dir = options.dir;
    this.name = options.name ?? 'helpdesk';
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.generations = options.generations ?? DEFAULT_LOG_GENERATIONS;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.size = sizeOf(this.fileOf(0));
  }

  /** The file of a generation: 0 is the current one. */
  fileOf(generation: number): string {
    return join(this.dir, generation === 0 ? `${this.name}.log` : `${this.name}.${generation}.log`);
  }

  /** Appends one line (a newline inside it is escaped, so a line is always one entry). */
  append(line: string): void {
    const text = `${line.replace(/\r?\n/g, '\\n')}\n`;
    const bytes = Buffer.byteLength(text);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    const file = this.fileOf(0);
    appendFileSync(file, text, { mode: 0o600 });
    if (this.size === 0) chmodSync(file, 0o600);
    this.size += bytes;
  }

  /** The last `count` lines, oldest first, across the files. */
  tail(count: number): string[] {
    const lines: string[] = [];
    for (let generation = 0; generation <= this.generations && lines.length < count; generation++) {
      const text = readIfExists(this.fileOf(generation));
      if (text === null) continue;
      const fileLines = text.split('\n').filter(Boolean);
      lines.unshift(...fileLines.slice(Math.max(0, fileLines.length - (count - lines.length))));
    }
    return lines;
  }

  private rotate(): void {
    rmSync(this.fileOf(this.generations), { force: true });
    for (let generation = this.generations - 1; generation >= 0; generation--) {
      try {
        renameSync(this.fileOf(generation), this.fileOf(generation + 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    this.size = 0;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
