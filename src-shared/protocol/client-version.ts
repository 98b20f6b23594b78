import { z } from 'zod';

/** The header every client request carries its own version in (`X-Client-Version: 1.4.0`). */
export const CLIENT_VERSION_HEADER = 'x-client-version';

const SEMVER =
  /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** A semantic version (`1.4.0`, `2.0.0-beta.1`), at most 64 characters. */
export const ClientVersion = z
  .string()
  .max(64)
  .regex(SEMVER, { message: 'must be a semantic version such as 1.4.0' });

interface Parsed {
  core: [number, number, number];
  pre: string[];
}

function parse(version: string): Parsed | null {
  const match = SEMVER.exec(version);
  if (!match) return null;
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    pre: match[4] ? match[4].split('.') : [],
  };
}

/** Semver precedence of two prerelease identifiers: numbers numerically and below words. */
function compareIdentifier(a: string, b: string): number {
  const numeric = (s: string) => /^\d+$/.test(s);
  if (numeric(a) && numeric(b)) return Math.sign(Number(a) - Number(b));
  if (numeric(a) !== numeric(b)) return numeric(a) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semver precedence (build metadata ignored; a prerelease comes before its release): negative,
 * zero or positive. Throws for a string that is not a version; parse with ClientVersion first.
 */
export function compareVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) throw new Error(`Not a semantic version: ${left ? b : a}`);
  for (let i = 0; i < 3; i++) {
    const diff = left.core[i]! - right.core[i]!;
    if (diff !== 0) return Math.sign(diff);
  }
  if (left.pre.length === 0 || right.pre.length === 0) {
    return Math.sign(right.pre.length - left.pre.length);
  }
  for (let i = 0; i < Math.min(left.pre.length, right.pre.length); i++) {
    const diff = compareIdentifier(left.pre[i]!, right.pre[i]!);
    if (diff !== 0) return diff;
  }
  return Math.sign(left.pre.length - right.pre.length);
}
