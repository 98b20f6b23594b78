import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyScore } from '../../../../src-renderer/lib/fuzzy';

describe('fuzzyScore', () => {
  it('matches the query’s characters in order, ignoring case and accents', () => {
    expect(fuzzyScore('prio', 'Priority')).not.toBeNull();
    expect(fuzzyScore('nwtk', 'New ticket')).not.toBeNull();
    expect(fuzzyScore('cafe', 'Café order')).not.toBeNull();
    expect(fuzzyScore('oirp', 'Priority')).toBeNull();
    expect(fuzzyScore('x', 'Priority')).toBeNull();
  });

  it('gives every text the same score for an empty query', () => {
    expect(fuzzyScore('', 'anything')).toBe(0);
    expect(fuzzyScore('  ', 'anything')).toBe(0);
  });
});

describe('fuzzyFilter', () => {
  const names = [
    'Sort by: Priority',
    'Priority (of the selection, if any)',
    'Apply a macro',
    'Next ticket',
    'New ticket',
  ];

  it('puts a hit at the start first, then whole words, then letters spread out', () => {
    expect(fuzzyFilter('prio', names, (n) => n)).toEqual([
      'Priority (of the selection, if any)',
      'Sort by: Priority',
    ]);
    expect(fuzzyFilter('new', names, (n) => n)[0]).toBe('New ticket');
    expect(fuzzyFilter('ticket', names, (n) => n)).toEqual(['New ticket', 'Next ticket']);
    expect(fuzzyFilter('mcr', names, (n) => n)).toEqual(['Apply a macro']);
  });

  it('keeps the order of the items for an empty query', () => {
    expect(fuzzyFilter('', names, (n) => n)).toEqual(names);
  });
});
