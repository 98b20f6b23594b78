import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readUpdatePreferences,
  writeUpdatePreferences,
} from '../../../../src-main/core/updates/update-preferences';

const dirs: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-update-prefs-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('update preferences', () => {
  it('download automatically and never checked, until saved otherwise', () => {
    const dir = folder();
    expect(readUpdatePreferences(dir)).toEqual({ autoDownload: true, lastCheckedAt: null });
    writeUpdatePreferences(dir, { autoDownload: false, lastCheckedAt: '2026-05-04T10:00:00.000Z' });
    expect(readUpdatePreferences(dir)).toEqual({
      autoDownload: false,
      lastCheckedAt: '2026-05-04T10:00:00.000Z',
    });
    expect(statSync(join(dir, 'updates.json')).mode & 0o777).toBe(0o600);
  });

  it('reads the defaults from a file it cannot use, keeping what it can', () => {
    const dir = folder();
    writeFileSync(join(dir, 'updates.json'), '{ not json');
    expect(readUpdatePreferences(dir)).toEqual({ autoDownload: true, lastCheckedAt: null });
    writeFileSync(
      join(dir, 'updates.json'),
      JSON.stringify({ autoDownload: false, lastCheckedAt: 'yesterday' }),
    );
    expect(readUpdatePreferences(dir)).toEqual({ autoDownload: false, lastCheckedAt: null });
  });
});
