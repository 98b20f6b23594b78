import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BRIDGE_INVOKE } from '../../../src-shared/bridge/contract';
import { MUTATORS } from '../../../src-shared/mutators/registry';
import { LoginHistoryQuery } from '../../../src-shared/protocol/account';
import { StatsQuery, UpdateUserRequest } from '../../../src-shared/protocol/admin';
import { LoginRequest, SetPasswordRequest } from '../../../src-shared/protocol/auth';
import { PullQuery, PushRequest } from '../../../src-shared/protocol/sync';
import { HOSTILE_KEYS, spoiled } from '../../support/hostile-inputs';
import { zodArbitrary } from '../../support/zod-arbitrary';

/**
 * The fuzzers' inputs are only as good as this generator: what it makes from a schema must mostly
 * pass that schema (else "valid" inputs would all be refused at the door), and every schema the
 * fuzzers use must be one it can read.
 */

const SCHEMAS = {
  LoginRequest,
  SetPasswordRequest,
  PullQuery,
  PushRequest,
  StatsQuery,
  UpdateUserRequest,
  LoginHistoryQuery,
  ...Object.fromEntries(Object.entries(MUTATORS).map(([name, m]) => [`mutator ${name}`, m.args])),
  ...Object.fromEntries(
    Object.entries(BRIDGE_INVOKE).map(([call, spec]) => [`bridge ${call}`, spec.input]),
  ),
};

describe('zodArbitrary', () => {
  it.each(Object.entries(SCHEMAS))('makes values %s mostly accepts', (name, schema) => {
    const values = fc.sample(zodArbitrary(schema), { numRuns: 100, seed: 42 });
    const accepted = values.filter((value) => schema.safeParse(value).success).length;
    // listTickets' `after` must be a cursor of the same sort: a rule across fields, rarely met.
    expect(accepted).toBeGreaterThanOrEqual(name === 'bridge listTickets' ? 10 : 50);
  });

  it('spoils a value with an own __proto__ key that survives JSON', () => {
    const values = fc.sample(spoiled(fc.constant({ a: 1 })), { numRuns: 300, seed: 1 });
    const texts = values.map((value) => JSON.stringify(value));
    expect(texts.some((text) => text.includes('"__proto__":'))).toBe(true);
    for (const key of HOSTILE_KEYS.filter((k) => k !== '')) {
      expect(
        texts.some((text) => text.includes(`${JSON.stringify(key)}:`)),
        key,
      ).toBe(true);
    }
  });
});
