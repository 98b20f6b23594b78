import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientVersion, compareVersions } from '../../../../src-shared/protocol/client-version';

const part = fc.integer({ min: 0, max: 999 });
const identifier = fc.oneof(
  fc.integer({ min: 0, max: 99 }).map(String),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/),
);
const version = fc
  .tuple(part, part, part, fc.array(identifier, { maxLength: 3 }))
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length ? `-${pre.join('.')}` : ''}`);

describe('compareVersions', () => {
  it('orders as semver says', () => {
    const ordered = [
      '0.9.9',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.2.0',
      '1.10.0',
      '10.0.0',
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(compareVersions(ordered[i]!, ordered[j]!), `${ordered[i]} vs ${ordered[j]}`).toBe(
          Math.sign(i - j),
        );
      }
    }
    expect(compareVersions('1.2.3+build.7', '1.2.3')).toBe(0);
  });

  it('is antisymmetric and transitive on generated versions', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(ClientVersion.safeParse(a).success).toBe(true);
        expect(compareVersions(a, b)).toBe(-compareVersions(b, a) || 0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) {
          expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('refuses what is not a version', () => {
    for (const bad of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-', '1.2.3 ', '', 'x'.repeat(65)]) {
      expect(ClientVersion.safeParse(bad).success, bad).toBe(false);
    }
    expect(() => compareVersions('1.2', '1.2.0')).toThrow(/semantic version/);
  });
});
