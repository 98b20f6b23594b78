import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFields, sameValue } from '../../../../src-shared/mutators/merge-fields';

describe('sameValue', () => {
  it('compares JSON-like values structurally', () => {
    expect(sameValue('a', 'a')).toBe(true);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValue({ x: [1] }, { x: [1] })).toBe(true);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue(null, undefined)).toBe(false);
    expect(sameValue(undefined, undefined)).toBe(true);
    expect(sameValue(false, 0)).toBe(false);
  });
});

describe('mergeFields', () => {
  const current = {
    status: 'open',
    priority: 'normal',
    assigneeId: null as string | null,
    tags: ['a'],
  };

  it('writes every field blindly without a base', () => {
    const result = mergeFields(current, { status: 'solved', assigneeId: 'u1' }, undefined);
    expect(result).toEqual({
      next: { ...current, status: 'solved', assigneeId: 'u1' },
      changed: ['status', 'assigneeId'],
      conflicts: [],
    });
  });

  it('does not change the current object', () => {
    const copy = structuredClone(current);
    mergeFields(current, { status: 'solved', tags: ['b'] }, { status: 'pending' });
    expect(current).toEqual(copy);
  });

  it('conflicts when the server differs from base and from mine, and writes the other fields', () => {
    const result = mergeFields(
      current,
      { status: 'solved', priority: 'high' },
      { status: 'pending', priority: 'normal' },
    );
    expect(result.conflicts).toEqual([{ field: 'status', server: 'open', mine: 'solved' }]);
    expect(result.changed).toEqual(['priority']);
    expect(result.next).toEqual({ ...current, priority: 'high' });
  });

  it('sees no conflict when the server already holds my value', () => {
    expect(mergeFields(current, { status: 'open' }, { status: 'pending' })).toEqual({
      next: current,
      changed: [],
      conflicts: [],
    });
  });

  it('treats null as a value of its own in base and on the server', () => {
    const cleared = mergeFields(current, { assigneeId: 'u2' }, { assigneeId: null });
    expect(cleared.conflicts).toEqual([]);
    expect(cleared.next.assigneeId).toBe('u2');
    const moved = mergeFields(
      { ...current, assigneeId: 'u1' },
      { assigneeId: 'u2' },
      { assigneeId: null },
    );
    expect(moved.conflicts).toEqual([{ field: 'assigneeId', server: 'u1', mine: 'u2' }]);
    const clearing = mergeFields(
      { ...current, assigneeId: 'u1' as string | null },
      { assigneeId: null },
      { assigneeId: 'u3' },
    );
    expect(clearing.conflicts).toEqual([{ field: 'assigneeId', server: 'u1', mine: null }]);
  });

  it('skips undefined fields and ignores base keys of fields not set', () => {
    const result = mergeFields(
      current,
      { status: undefined, priority: 'low' },
      { status: 'x', tags: ['z'] },
    );
    expect(result).toEqual({
      next: { ...current, priority: 'low' },
      changed: ['priority'],
      conflicts: [],
    });
  });

  it('compares arrays structurally against base', () => {
    const result = mergeFields(current, { tags: ['b'] }, { tags: ['a'] });
    expect(result.conflicts).toEqual([]);
    expect(result.next.tags).toEqual(['b']);
  });

  const value = fc.oneof(
    fc.constantFrom('open', 'solved', 'low'),
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
  );
  const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), value);

  it('never conflicts when base equals the current state, and then writes every field', () => {
    fc.assert(
      fc.property(record, record, (server, fields) => {
        const result = mergeFields(server, fields, { ...server });
        expect(result.conflicts).toEqual([]);
        expect(result.next).toEqual({ ...server, ...fields });
      }),
      { numRuns: 500 },
    );
  });

  it('never conflicts without a base, and merging twice changes nothing more', () => {
    fc.assert(
      fc.property(record, record, fc.option(record, { nil: undefined }), (server, fields, base) => {
        const blind = mergeFields(server, fields, undefined);
        expect(blind.conflicts).toEqual([]);
        const once = mergeFields(server, fields, base);
        const twice = mergeFields(once.next, fields, base);
        expect(twice.next).toEqual(once.next);
        expect(twice.changed).toEqual([]);
        // A field is either written, already equal, or reported: never lost silently.
        for (const [field, mine] of Object.entries(fields)) {
          const reported = once.conflicts.some((c) => c.field === field);
          expect(reported || sameValue(once.next[field], mine)).toBe(true);
          if (reported) expect(once.next[field]).toEqual(server[field]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
