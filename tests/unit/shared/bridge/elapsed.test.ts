import { describe, expect, it } from 'vitest';
import { elapsedSince, formatDuration } from '../../../../src-shared/bridge/elapsed';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatDuration', () => {
  it.each([
    [0, '<1m'],
    [59_999, '<1m'],
    [-5 * MINUTE, '<1m'],
    [Number.NaN, '<1m'],
    [MINUTE, '1m'],
    [59 * MINUTE + 59_999, '59m'],
    [HOUR, '1h'],
    [3 * HOUR + 5 * MINUTE, '3h 5m'],
    [DAY - 1, '23h 59m'],
    [DAY, '1d'],
    [2 * DAY + 4 * HOUR + 59 * MINUTE, '2d 4h'],
    [400 * DAY, '400d'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('elapsedSince', () => {
  it('measures from an ISO time to now', () => {
    const now = new Date('2026-03-01T12:00:00.000Z');
    expect(elapsedSince('2026-03-01T09:30:00.000Z', now)).toBe('2h 30m');
    expect(elapsedSince('2026-02-27T11:00:00.000Z', now)).toBe('2d 1h');
    expect(elapsedSince('not a time', now)).toBe('<1m');
  });
});
