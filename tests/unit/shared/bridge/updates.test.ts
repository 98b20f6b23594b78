import { describe, expect, it } from 'vitest';
import {
  UpdateStatus,
  updateSummary,
  type UpdateState,
} from '../../../../src-shared/bridge/updates';

const status = (update: UpdateState, lastCheckedAt: string | null = '2026-05-04T10:00:00.000Z') =>
  UpdateStatus.parse({ currentVersion: '1.4.0', autoDownload: true, lastCheckedAt, update });

describe('updateSummary', () => {
  it.each([
    [
      { state: 'unsupported', reason: 'Development builds do not update themselves.' },
      'Development builds do not update themselves.',
    ],
    [{ state: 'idle' }, 'Help Desk 1.4.0 is up to date.'],
    [{ state: 'checking' }, 'Checking for updates…'],
    [{ state: 'available', version: '1.5.0' }, 'Update 1.5.0 is available.'],
    [{ state: 'downloading', version: '1.5.0', percent: 42 }, 'Downloading update 1.5.0… 42%'],
    [{ state: 'ready', version: '1.5.0' }, 'Update 1.5.0 ready — Restart to update.'],
    [
      {
        state: 'failed',
        message: 'Checking for updates failed. The server did not answer in time.',
      },
      'Checking for updates failed. The server did not answer in time.',
    ],
  ] as Array<[UpdateState, string]>)('says %j as "%s"', (update, text) => {
    expect(updateSummary(status(update))).toBe(text);
  });

  it('does not claim "up to date" before the first check', () => {
    expect(updateSummary(status({ state: 'idle' }, null))).toBe('Not checked for updates yet.');
  });
});

describe('UpdateStatus', () => {
  it('refuses a state it does not know and a percent out of range', () => {
    expect(() => status({ state: 'installing' } as never)).toThrow();
    expect(() =>
      status({ state: 'downloading', version: '1.5.0', percent: 101 } as UpdateState),
    ).toThrow();
  });
});
