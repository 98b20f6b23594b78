import { describe, expect, it } from 'vitest';
import { parseTag } from '../../../../src-renderer/lib/tag-input';

describe('parseTag', () => {
  it('takes a tag as the shared schema writes it, or says why not', () => {
    expect(parseTag('  vip ')).toEqual({ ok: true, tag: 'vip' });
    const bad = parseTag('two words');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^A tag .+\.$/);
  });
});
