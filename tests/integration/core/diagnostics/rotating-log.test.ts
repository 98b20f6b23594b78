import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src-main/core/diagnostics/logger';
import { RotatingLog } from '../../../../src-main/core/diagnostics/rotating-log';
import { TempDirs } from '../../../support/sync-harness';

/**
 * The diagnostics log on real files: size-capped files in a fixed number of generations, whole
 * JSON lines across rotations, a reopened log going on where it was, and no secret on disk.
 */

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

const MAX_BYTES = 2000;
const token = (i: number) => `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLSR7aX0ifQ.c2lnbmF0dXJl${i}x`;

function writeEntries(log: RotatingLog, from: number, to: number): void {
  const logger = createLogger(log, () => new Date(Date.UTC(2026, 0, 1, 0, 0, from)));
  for (let i = from; i < to; i++) {
    logger.info('sync.cycle', {
      n: i,
      headers: { authorization: `Bearer ${token(i)}` },
      password: `hunter2-secret-${i}`,
      comment: { body: `Dear customer ${i}, your order is late` },
      message: `refresh failed for token=${token(i)}`,
    });
  }
}

describe('RotatingLog', () => {
  it('keeps at most `generations` older files, each under its cap, in whole JSON lines', () => {
    const dir = dirs.make('helpdesk-log-');
    const log = new RotatingLog({ dir, maxBytes: MAX_BYTES, generations: 2 });
    writeEntries(log, 0, 200);

    expect(readdirSync(dir).sort()).toEqual(['helpdesk.1.log', 'helpdesk.2.log', 'helpdesk.log']);
    const numbers: number[] = [];
    for (const generation of [2, 1, 0]) {
      const file = log.fileOf(generation);
      expect(statSync(file).size).toBeLessThanOrEqual(MAX_BYTES);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = readFileSync(file, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.trim().split('\n')) {
        const entry = JSON.parse(line) as { n: number; level: string; event: string };
        expect(entry).toMatchObject({ level: 'info', event: 'sync.cycle' });
        numbers.push(entry.n);
      }
      // Nothing secret reaches the disk: tokens, passwords, what customers wrote.
      expect(text).not.toMatch(/eyJhbGci|hunter2|Dear customer/);
    }
    // The newest entries, in order, with no gap across the files.
    expect(numbers.at(-1)).toBe(199);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('tails across files, oldest first', () => {
    const dir = dirs.make('helpdesk-log-tail-');
    const log = new RotatingLog({ dir, maxBytes: MAX_BYTES, generations: 3 });
    writeEntries(log, 0, 60);
    const tail = log.tail(25).map((line) => (JSON.parse(line) as { n: number }).n);
    expect(tail).toEqual(Array.from({ length: 25 }, (_, i) => 35 + i));
    expect(existsSync(log.fileOf(1))).toBe(true);
  });

  it('goes on where it was when opened again (the app restarted)', () => {
    const dir = dirs.make('helpdesk-log-reopen-');
    writeEntries(new RotatingLog({ dir, maxBytes: MAX_BYTES, generations: 1 }), 0, 5);
    const before = statSync(join(dir, 'helpdesk.log')).size;
    const reopened = new RotatingLog({ dir, maxBytes: MAX_BYTES, generations: 1 });
    writeEntries(reopened, 5, 100);
    expect(readdirSync(dir).sort()).toEqual(['helpdesk.1.log', 'helpdesk.log']);
    for (const generation of [0, 1]) {
      expect(statSync(reopened.fileOf(generation)).size).toBeLessThanOrEqual(MAX_BYTES);
    }
    expect(before).toBeGreaterThan(0);
    expect(reopened.tail(1)[0]).toContain('"n":99');
  });

  it('writes a line with a newline in it as one line', () => {
    const dir = dirs.make('helpdesk-log-newline-');
    const log = new RotatingLog({ dir });
    log.append('first\nsecond');
    expect(readFileSync(log.fileOf(0), 'utf8')).toBe('first\\nsecond\n');
  });
});
