import { describe, expect, it } from 'vitest';
import { textIssues, textProblem } from '../../../../src-shared/protocol/text';

describe('protocol text', () => {
  it('takes well-formed Unicode: emoji (surrogate pairs), RTL, zero-width, other controls', () => {
    for (const text of [
      '',
      'plain',
      '👩‍💻 😀',
      '\u202eevil',
      '\u200b\ufeff',
      'tab\there\u0007',
      '\uffff',
    ]) {
      expect(textProblem(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('refuses NUL and unpaired surrogates, high or low, anywhere in the text', () => {
    expect(textProblem('a\u0000b')).toBe('must not contain NUL (U+0000)');
    for (const text of ['\ud800', 'x\ud83dy', '\udfff', 'a\ude00', '\udfff\ud800', '😀\ud800']) {
      expect(textProblem(text), JSON.stringify(text)).toBe(
        'must be valid Unicode (an unpaired surrogate)',
      );
    }
  });

  it('names every bad string and key of a JSON value by its path', () => {
    const issues = textIssues({
      name: 'ok',
      company: { name: 'a\u0000' },
      tags: ['fine', '\ud800'],
      ['k\u0000']: 1,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'company.name', message: 'must not contain NUL (U+0000)' },
        { path: 'tags.1', message: 'must be valid Unicode (an unpaired surrogate)' },
        { path: 'k\u0000', message: 'key must not contain NUL (U+0000)' },
      ]),
    );
    expect(issues).toHaveLength(3);
    expect(textIssues('\u0000')).toEqual([{ path: '(root)', message: expect.any(String) }]);
    expect(textIssues({ a: [1, true, null, { b: 'fine' }] })).toEqual([]);
  });

  it('walks values nested deeper than the call stack, and stops at `max` issues', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(textIssues(deep)).toHaveLength(1);
    expect(
      textIssues(
        Array.from({ length: 50 }, () => '\u0000'),
        5,
      ),
    ).toHaveLength(5);
  });
});
