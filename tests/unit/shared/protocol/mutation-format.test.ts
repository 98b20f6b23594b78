import { describe, expect, it } from 'vitest';
import {
  FIRST_MUTATION_FORMAT,
  formatAfter,
  MUTATION_FORMAT,
  MUTATION_UPCASTS,
  upcastMutation,
  type MutationUpcast,
} from '../../../../src-shared/protocol/mutation-format';

/** A chain of two formats after the current one: a rename, then an arg added with a default. */
const CHAIN: MutationUpcast[] = [
  {
    from: MUTATION_FORMAT,
    upcast: (m) => (m.name === 'addTag' ? { ...m, name: 'addTags' } : m),
  },
  {
    from: MUTATION_FORMAT + 1,
    upcast: (m) => (m.name === 'addTags' ? { ...m, args: { silent: false, ...m.args } } : m),
  },
];

describe('mutation formats', () => {
  it('have one upcast for each format after the first, in order', () => {
    expect(MUTATION_UPCASTS.map((step) => step.from)).toEqual(
      Array.from(
        { length: MUTATION_FORMAT - FIRST_MUTATION_FORMAT },
        (_, i) => FIRST_MUTATION_FORMAT + i,
      ),
    );
    expect(formatAfter(MUTATION_UPCASTS)).toBe(MUTATION_FORMAT);
  });

  it('upcast one step at a time, from any format of the chain', () => {
    const old = { name: 'addTag', args: { ticketId: 't', tags: ['x'] }, base: { a: 1 } };
    expect(formatAfter(CHAIN)).toBe(MUTATION_FORMAT + 2);
    expect(upcastMutation(old, MUTATION_FORMAT, CHAIN)).toEqual({
      name: 'addTags',
      args: { silent: false, ticketId: 't', tags: ['x'] },
      base: { a: 1 },
    });
    // Written in the middle format: only the last step applies.
    expect(upcastMutation(old, MUTATION_FORMAT + 1, CHAIN)).toEqual(old);
    // Mutations a step does not concern pass through it as they are.
    const noop = { name: 'noop', args: {} };
    expect(upcastMutation(noop, MUTATION_FORMAT, CHAIN)).toEqual(noop);
    expect(upcastMutation(old, MUTATION_FORMAT + 2, CHAIN)).toBe(old);
  });

  it('refuse a format newer than the chain, and a chain with a gap', () => {
    const m = { name: 'noop', args: {} };
    expect(() => upcastMutation(m, MUTATION_FORMAT + 3, CHAIN)).toThrow(/newer than this program/);
    expect(() => upcastMutation(m, MUTATION_FORMAT, [CHAIN[1]!])).toThrow(
      new RegExp(`no upcast from mutation format ${MUTATION_FORMAT}$`),
    );
  });
});
