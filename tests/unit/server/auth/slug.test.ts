import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugify, uniqueSlug } from '../../../../src-server/auth/slug';
import { TenantSlug } from '../../../../src-shared/protocol/auth';

describe('slugify', () => {
  it.each([
    ['Acme Field Services', 'acme-field-services'],
    ['  Globex   Corporation, Inc.  ', 'globex-corporation-inc'],
    ['Café Müller & Søn', 'cafe-muller-s-n'],
    ['Ｆｕｌｌｗｉｄｔｈ Ltd', 'fullwidth-ltd'],
    ['--Dash--Land--', 'dash-land'],
    ['1-800 Flowers', '1-800-flowers'],
    ['', 'company'],
    ['!!!', 'company'],
    ['株式会社', 'company'],
    ['😀 🚀', 'company'],
  ])('%j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('cuts long names at 40 characters without a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(39)} bcd`);
    expect(slug).toBe('a'.repeat(39));
    expect(slugify('x'.repeat(100))).toHaveLength(40);
  });

  it('always gives a valid tenant slug', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (name) => {
        const slug = slugify(name);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(40);
        expect(TenantSlug.parse(slug)).toBe(slug);
      }),
      { numRuns: 500 },
    );
  });
});

describe('uniqueSlug', () => {
  it('takes the base when it is free', async () => {
    await expect(uniqueSlug('acme', async () => false)).resolves.toBe('acme');
  });

  it('takes the first free of base-2, base-3...', async () => {
    const taken = new Set(['acme', 'acme-2', 'acme-3']);
    const asked: string[] = [];
    const slug = await uniqueSlug('acme', async (s) => {
      asked.push(s);
      return taken.has(s);
    });
    expect(slug).toBe('acme-4');
    expect(asked).toEqual(['acme', 'acme-2', 'acme-3', 'acme-4']);
  });
});
