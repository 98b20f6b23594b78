import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, mutationHash } from '../../../../src-server/sync/mutation-hash';

/** The same value with the keys of every object in another order. */
function reorder(value: unknown, pick: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => reorder(v, pick));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = pick() % (i + 1);
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, reorder(v, pick)]));
  }
  return value;
}

const args = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), {
  maxKeys: 8,
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('is valid JSON equal to the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('mutationHash', () => {
  it('is a sha-256 in hex', () => {
    expect(mutationHash({ name: 'noop', args: {} })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of keys', () => {
    fc.assert(
      fc.property(
        args,
        fc.option(args, { nil: undefined }),
        fc.infiniteStream(fc.nat()),
        (a, base, stream) => {
          const pick = () => stream.next().value as number;
          expect(
            mutationHash({ name: 'm', args: reorder(a, pick), base: reorder(base, pick) }),
          ).toBe(mutationHash({ name: 'm', args: a, base }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes with the args, the name and the base', () => {
    fc.assert(
      fc.property(args, args, (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(mutationHash({ name: 'm', args: a })).not.toBe(mutationHash({ name: 'm', args: b }));
      }),
      { numRuns: 300 },
    );
    const m = { name: 'setTicketFields', args: { ticketId: 't', fields: { status: 'open' } } };
    const hashes = [
      mutationHash(m),
      mutationHash({ ...m, name: 'setTicketField' }),
      mutationHash({ ...m, args: { ticketId: 't', fields: { status: 'solved' } } }),
      mutationHash({ ...m, args: { ticketId: 't', fields: { status: 'open' }, extra: null } }),
      mutationHash({ ...m, base: { status: 'new' } }),
      mutationHash({ ...m, base: {} }),
      mutationHash({ name: 'a', args: { b: 1 } }),
      mutationHash({ name: 'a', args: { b: '1' } }),
      mutationHash({ name: 'a', args: { b: [1, 2] } }),
      mutationHash({ name: 'a', args: { b: [2, 1] } }),
    ];
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('treats an absent base as null', () => {
    const m = { name: 'noop', args: {} };
    expect(mutationHash({ ...m, base: undefined })).toBe(mutationHash(m));
  });

  it('hashes deeply nested args (10 000 levels, well under 1 MiB) without overflowing the stack', () => {
    const deep = JSON.parse(`{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) as unknown;
    expect(() => mutationHash({ name: 'noop', args: deep })).not.toThrow();
  });
});
