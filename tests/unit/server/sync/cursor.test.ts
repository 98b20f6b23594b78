import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, type CursorState } from '../../../../src-server/sync/cursor';

const state: fc.Arbitrary<CursorState> = fc.record({
  epoch: fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/),
  visibility: fc.nat(),
  seq: fc.maxSafeNat(),
  snapshotSeq: fc.option(fc.maxSafeNat(), { nil: null }),
});

describe('pull cursors', () => {
  it('decode what they encode', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(decodeCursor(encodeCursor(s))).toEqual(s);
      }),
      { numRuns: 1000 },
    );
  });

  it("read '0' as the start", () => {
    expect(decodeCursor('0')).toBe('start');
    expect(decodeCursor('00')).toBeNull();
  });

  it('encode to a compact opaque string', () => {
    expect(encodeCursor({ epoch: 'Ep0ch_-', visibility: 2, seq: 1043, snapshotSeq: null })).toBe(
      'c1.Ep0ch_-.2.1043',
    );
    expect(encodeCursor({ epoch: 'e', visibility: 0, seq: 5, snapshotSeq: 900 })).toBe(
      'c1.e.0.5.900',
    );
  });

  it.each([
    '',
    '1043',
    'c1',
    'c1.e.0',
    'c2.e.0.1',
    'C1.e.0.1',
    'c1..0.1',
    'c1.e!.0.1',
    'c1.e e.0.1',
    'c1.e.-1.1',
    'c1.e.0.-5',
    'c1.e.0.1.-1',
    'c1.e.0.1.2.3',
    'c1.e.x.1',
    'c1.e.0.1.5x',
    'c1.e.0.9007199254740993',
    'c1.e.0.1e400',
    'c1.e.0.Infinity',
    'c1.e.0.NaN',
    'c1.e.1.2\u0000',
  ])('answer null for the malformed %j', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  it('answer null for numbers that are empty or not plain decimal digits', () => {
    const cursors = [
      'c1.e..1',
      'c1.e.0.',
      'c1.e.0.1.',
      'c1.e.0x1.1',
      'c1.e.0.1e3',
      'c1.e. 1.1',
      'c1.e.0.1.0b11',
      'c1.e.0.+7',
    ];
    const accepted = cursors.filter((cursor) => decodeCursor(cursor) !== null);
    expect(accepted).toEqual([]);
  });

  it('only decode cursors that are exactly what encodeCursor writes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.constantFrom('c1', 'e', '0', '', '1', ' 2', '0x1', '1e2', '-1'), fc.string()),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (parts) => {
          const cursor = parts.join('.');
          const decoded = decodeCursor(cursor);
          if (decoded !== null && decoded !== 'start') expect(encodeCursor(decoded)).toBe(cursor);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
