import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src-main/core/diagnostics/logger';
import { RotatingLog } from '../../../../src-main/core/diagnostics/rotating-log';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-logger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = () => new Date('2026-05-06T07:08:09.000Z');

describe('createLogger', () => {
  it('writes one redacted JSON line per call; a field cannot pass for the time, level or event', () => {
    const log = new RotatingLog({ dir: join(dir, 'a') });
    const logger = createLogger(log, at);
    logger.warn('sync.state', {
      state: 'offline',
      t: 'forged',
      level: 'info',
      password: 'pw-1234567890',
    });
    logger.error('bridge.failed', { call: 'mutate', args: { body: 'hello customer' } });
    expect(log.tail(5).map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        t: '2026-05-06T07:08:09.000Z',
        level: 'warn',
        event: 'sync.state',
        state: 'offline',
        password: '[redacted]',
      },
      {
        t: '2026-05-06T07:08:09.000Z',
        level: 'error',
        event: 'bridge.failed',
        call: 'mutate',
        args: '[redacted]',
      },
    ]);
  });

  it('never throws into the caller when the log cannot be written', () => {
    const blocked = join(dir, 'blocked');
    const log = new RotatingLog({ dir: blocked });
    // A file where the log's folder was: every append fails (ENOTDIR).
    rmSync(blocked, { recursive: true, force: true });
    writeFileSync(blocked, 'a file where the folder was');
    expect(() => log.append('x')).toThrow();
    expect(() => createLogger(log, at).info('anything', { n: 1 })).not.toThrow();
  });
});
