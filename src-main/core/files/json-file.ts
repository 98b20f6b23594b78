import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

/**
 * Reads a small JSON file of this machine's state through its schema. A missing file answers
 * `fallback`; an unreadable one (not JSON, or not the schema) is moved aside to
 * `<file>.unreadable-<time>` so that nothing in it is lost for good, and answers `fallback` too:
 * the next write leaves a good file.
 */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, fallback: T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    renameSync(file, `${file}.unreadable-${Date.now()}`);
    return fallback;
  }
}

/**
 * Writes `value` as the whole file, owner-only, through a temporary file and a rename: a crash
 * mid-write leaves the previous version.
 */
export function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(value, null, 2), { mode: 0o600 });
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}
