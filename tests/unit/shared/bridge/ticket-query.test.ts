import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SEARCH_INPUT_MAX,
  SEARCH_TERMS_MAX,
  TicketListQuery,
  decodeTicketCursor,
  encodeTicketCursor,
  formatSearchTerms,
  parseSearch,
  searchTerms,
  type SearchParseResult,
} from '../../../../src-shared/bridge/ticket-query';

const ME = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000a2';
const CONTACT = '00000000-0000-4000-8000-0000000000d1';
const DEFAULTS = { sort: { field: 'updatedAt', direction: 'desc' }, limit: 100 } as const;

function ok(result: SearchParseResult) {
  if (!result.ok) throw new Error(`expected a query, got: ${result.message}`);
  return result.query;
}

function fails(input: string, message: RegExp) {
  const result = parseSearch(input, ME);
  expect(result.ok, input).toBe(false);
  if (!result.ok) expect(result.message).toMatch(message);
}

describe('parseSearch: keys', () => {
  it('reads the example of the issue', () => {
    expect(ok(parseSearch('status:open tag:vip assignee:me printer jam', ME))).toEqual({
      status: ['open'],
      tag: ['vip'],
      assigneeId: ME,
      text: 'printer jam',
      ...DEFAULTS,
    });
  });

  it('gives the default query for empty input', () => {
    expect(ok(parseSearch('', ME))).toEqual(DEFAULTS);
    expect(ok(parseSearch('   \t\n ', ME))).toEqual(DEFAULTS);
  });

  it('reads comma lists and repeated keys as "any of", without duplicates', () => {
    expect(ok(parseSearch('status:open,pending status:open,new,', ME)).status).toEqual([
      'open',
      'pending',
      'new',
    ]);
    expect(ok(parseSearch('priority:urgent,HIGH', ME)).priority).toEqual(['urgent', 'high']);
  });

  it('is case-insensitive in keys and values, and knows on-hold spellings', () => {
    expect(ok(parseSearch('STATUS:Open Priority:LOW', ME))).toMatchObject({
      status: ['open'],
      priority: ['low'],
    });
    for (const spelling of ['on_hold', 'hold', 'on-hold', 'OnHold'])
      expect(ok(parseSearch(`status:${spelling}`, ME)).status).toEqual(['on_hold']);
  });

  it('collects tags (every one must match), normalised as tags are', () => {
    expect(ok(parseSearch('tag:VIP tag:billing,x:y/z tag:vip', ME)).tag).toEqual([
      'vip',
      'billing',
      'x:y/z',
    ]);
    expect(ok(parseSearch('tag:ärger', ME)).tag).toEqual(['ärger']);
    fails('tag:"two words"', /^tag: "two words" may hold only/);
    fails('tag:a!b', /^tag: "a!b"/);
    fails(`tag:${'a'.repeat(41)}`, /^tag:/);
    fails(`tag:${Array.from({ length: 11 }, (_, i) => `t${i}`).join(',')}`, /at most 10 tags/);
  });

  it('reads assignee as me, none or an id', () => {
    expect(ok(parseSearch('assignee:me', ME)).assigneeId).toBe(ME);
    expect(ok(parseSearch('assignee:ME', ME)).assigneeId).toBe(ME);
    expect(ok(parseSearch('assignee:none', ME)).assigneeId).toBeNull();
    expect(ok(parseSearch(`assignee:${OTHER.toUpperCase()}`, ME)).assigneeId).toBe(OTHER);
    expect(ok(parseSearch('assignee:me assignee:me', ME)).assigneeId).toBe(ME);
    fails('assignee:bob', /^assignee: "bob" is not me, none or an agent id$/);
    fails('assignee:me assignee:none', /^assignee: given more than once$/);
    fails('assignee:me,none', /^assignee:/);
  });

  it('reads requester as an id or as words for the requester column', () => {
    expect(ok(parseSearch(`requester:${CONTACT}`, ME))).toMatchObject({ requesterId: CONTACT });
    expect(ok(parseSearch('requester:ann', ME))).toMatchObject({ requesterText: 'ann' });
    expect(ok(parseSearch('requester:"Ann  Lee" printer', ME))).toMatchObject({
      requesterText: '"Ann Lee"',
      text: 'printer',
    });
    expect(ok(parseSearch('requester:ann@example.com', ME)).requesterText).toBe('ann@example.com');
    fails('requester:"!!!"', /^requester: "!!!" has no letters or digits$/);
    fails(`requester:ann requester:${CONTACT}`, /^requester:/);
    fails('requester:ann requester:bob', /given more than once/);
  });

  it('reads is: flags, alone or as a list', () => {
    expect(ok(parseSearch('is:unassigned is:mine', ME))).toMatchObject({
      unassigned: true,
      mine: true,
    });
    expect(ok(parseSearch('is:attention,pending', ME))).toMatchObject({
      needsAttention: true,
      pending: true,
    });
    fails('is:open', /^is: "open" is not one of unassigned, mine, attention, pending$/);
  });

  it('reads updated:> (after the day) and updated:>= (from the day), in UTC', () => {
    expect(ok(parseSearch('updated:>=2026-01-01', ME)).updatedSince).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(ok(parseSearch('updated:>2026-01-31', ME)).updatedSince).toBe(
      '2026-02-01T00:00:00.000Z',
    );
    expect(ok(parseSearch('updated:>2024-02-28', ME)).updatedSince).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    expect(ok(parseSearch('updated:>2025-12-31', ME)).updatedSince).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    fails('updated:>2026-02-30', /^updated: "2026-02-30" is not a date$/);
    fails('updated:>2026-13-01', /is not a date/);
    for (const bad of ['updated:<7d', 'updated:2026-01-01', 'updated:>26-1-1', 'updated:>today'])
      fails(bad, /write updated:>YYYY-MM-DD or updated:>=YYYY-MM-DD/);
    fails('updated:>=2026-01-01 updated:>=2026-02-01', /given more than once/);
  });

  it('asks for a value when a key has none', () => {
    for (const key of ['status', 'priority', 'tag', 'assignee', 'requester', 'is', 'updated'])
      fails(`${key}: printer`, new RegExp(`^${key}: needs a value$`));
    fails('status:,', /^status: needs a value$/);
    fails('tag:""', /^tag: needs a value$/);
  });

  it('names the bad value and the choices', () => {
    fails(
      'status:bogus',
      /^status: "bogus" is not one of new, open, pending, on_hold, solved, closed$/,
    );
    fails('priority:asap', /^priority: "asap" is not one of low, normal, high, urgent$/);
    fails('status:open,constructor', /"constructor" is not one of/);
    fails('status:__proto__', /"__proto__" is not one of/);
    fails(`status:${'x'.repeat(300)}`, /^status: "x{40}…" is not one of/);
  });

  it('reports a `me` that is not an id instead of querying with it', () => {
    const result = parseSearch('assignee:me', 'not-a-uuid');
    expect(result).toEqual({ ok: false, message: 'assigneeId: must be a UUID' });
  });
});

describe('parseSearch: text', () => {
  const text = (input: string) => ok(parseSearch(input, ME)).text;

  it('keeps words and quoted phrases, in order, between keys', () => {
    expect(text('printer status:open "paper jam" tag:vip toner')).toBe('printer "paper jam" toner');
    expect(ok(parseSearch('"paper jam"', ME))).toEqual({ text: '"paper jam"', ...DEFAULTS });
  });

  it('closes an unbalanced quote at the end of the input', () => {
    expect(text('"paper jam')).toBe('"paper jam"');
    expect(text('toner "')).toBe('toner');
    expect(text('a " b " c "')).toBe('a "b" c');
    expect(searchTerms('"paper jam')).toEqual([{ text: 'paper jam', phrase: true }]);
  });

  it('treats typographic quotes as quotes and a quote inside a word as a character', () => {
    expect(text('\u201Cpaper jam\u201D')).toBe('"paper jam"');
    expect(searchTerms('don"t')).toEqual([{ text: 'don"t', phrase: false }]);
    expect(text('don"t "stop')).toBe('don"t "stop"');
  });

  it('keeps unknown keys, URLs, times and quoted keys as text', () => {
    expect(ok(parseSearch('foo:bar http://x.test/a 10:30 "status:open"', ME))).toEqual({
      text: 'foo:bar http://x.test/a 10:30 "status:open"',
      ...DEFAULTS,
    });
    expect(text('colour:"dark red"')).toBe('colour: "dark red"');
    expect(text('colour:')).toBe('colour:');
  });

  it('keeps FTS operators as plain words and drops what has no letter or digit', () => {
    const query = ok(parseSearch('AND OR NOT NEAR * ^ " NEAR(a b) -x +y {subject}:z', ME));
    expect(query.text).toBe('AND OR NOT NEAR "NEAR(a b) -x +y {subject}:z"');
    const terms = searchTerms('AND OR NOT NEAR * ^ ( ) : - +');
    expect(terms.map((t) => t.text)).toEqual(['AND', 'OR', 'NOT', 'NEAR']);
    expect(terms.every((t) => !t.phrase)).toBe(true);
    expect(ok(parseSearch('* ^ " ( ) 🔥', ME))).toEqual(DEFAULTS);
  });

  it('reads unicode: diacritics, other scripts, emoji and control characters', () => {
    expect(text('Zoë Ångström')).toBe('Zoë Ångström');
    expect(text('日本語 サポート')).toBe('日本語 サポート');
    expect(text('שלום עולם')).toBe('שלום עולם');
    expect(text('🔥printer🔥')).toBe('🔥printer🔥');
    expect(text('a\u0000b\u0007c')).toBe('a b c');
    expect(text('\u200bzero\u200b')).toBe('\u200bzero\u200b');
    expect(text('\u00a0nbsp\u3000ideographic')).toBe('nbsp ideographic');
    expect(searchTerms('\u00a0nbsp\u3000ideographic\ttab\nline')).toEqual(
      ['nbsp', 'ideographic', 'tab', 'line'].map((t) => ({ text: t, phrase: false })),
    );
  });

  it('refuses a search that is too long or has too many words, with a message', () => {
    fails('x'.repeat(SEARCH_INPUT_MAX + 1), /^The search is too long: at most 1000 characters\.$/);
    fails('"'.repeat(100_000), /too long/);
    expect(text('x'.repeat(SEARCH_INPUT_MAX))).toBe('x'.repeat(SEARCH_INPUT_MAX));
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(searchTerms(text(words(SEARCH_TERMS_MAX))!)).toHaveLength(SEARCH_TERMS_MAX);
    fails(words(SEARCH_TERMS_MAX + 1), /^The search has too many words: at most 32\.$/);
    // Words without letters or digits do not count.
    expect(ok(parseSearch(`${words(SEARCH_TERMS_MAX)} ${'* '.repeat(100)}`, ME)).text).toBe(
      words(SEARCH_TERMS_MAX),
    );
  });

  const HOSTILE = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'status:',
          'tag:',
          'is:',
          'assignee:',
          'requester:',
          'updated:>',
          'priority:',
          'open',
          'me',
          'none',
          ',',
          ':',
          '"',
          '\u201C',
          ' ',
          '\t',
          'AND',
          'NEAR(',
          '*',
          '^',
          '(',
          '-',
          '2026-01-01',
          ME,
          '\u0000',
          'é',
          '日本',
          '🔥',
        ),
        fc.string({ unit: 'binary', maxLength: 5 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('never throws, and every query it gives is valid and re-reads as itself', () => {
    fc.assert(
      fc.property(fc.oneof(HOSTILE, fc.string({ unit: 'binary', maxLength: 300 })), (input) => {
        const result = parseSearch(input, ME);
        if (!result.ok) {
          expect(result.message.length).toBeGreaterThan(0);
          return;
        }
        expect(TicketListQuery.parse(result.query)).toEqual(result.query);
        if (result.query.text !== undefined) {
          const terms = searchTerms(result.query.text);
          expect(terms.length).toBeGreaterThan(0);
          expect(terms.length).toBeLessThanOrEqual(SEARCH_TERMS_MAX);
          expect(formatSearchTerms(terms)).toBe(result.query.text);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('formats terms so that they read back the same', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        const terms = searchTerms(input);
        expect(searchTerms(formatSearchTerms(terms))).toEqual(terms);
        for (const term of terms) {
          expect(term.text).toMatch(/[\p{L}\p{N}]/u);
          expect(term.text).not.toMatch(/\p{Cc}/u);
          if (term.phrase) expect(term.text).not.toMatch(/["\u201C\u201D]/);
          else expect(term.text).not.toMatch(/^["\u201C\u201D]|\s/);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('TicketListQuery', () => {
  it('applies defaults and removes repeated values', () => {
    expect(TicketListQuery.parse({})).toEqual(DEFAULTS);
    expect(TicketListQuery.parse({ sort: { field: 'priority' } }).sort).toEqual({
      field: 'priority',
      direction: 'desc',
    });
    expect(TicketListQuery.parse({ status: ['open', 'open'], tag: ['VIP', 'vip'] })).toMatchObject({
      status: ['open'],
      tag: ['vip'],
    });
  });

  it('is strict and bounded', () => {
    for (const bad of [
      { colour: 'red' },
      { sort: { field: 'subject' } },
      { sort: { field: 'number', direction: 'up' } },
      { sort: { field: 'number', extra: 1 } },
      { limit: 0 },
      { limit: 501 },
      { limit: 1.5 },
      { status: [] },
      { status: ['closed', 'bogus'] },
      { assigneeId: 'me' },
      { requesterId: null },
      { updatedSince: '2026-01-01' },
      { tag: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      { text: 'x'.repeat(1001) },
      { text: Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ') },
      { mine: 'yes' },
    ]) {
      expect(TicketListQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(TicketListQuery.safeParse({ limit: 500, assigneeId: null }).success).toBe(true);
  });

  it('accepts only a cursor of its own sort', () => {
    const after = encodeTicketCursor({
      field: 'priority',
      direction: 'asc',
      keys: [2, '2026-01-01T00:00:00.000Z'],
      id: ME,
    });
    expect(
      TicketListQuery.safeParse({ sort: { field: 'priority', direction: 'asc' }, after }).success,
    ).toBe(true);
    const wrongSort = TicketListQuery.safeParse({ after });
    expect(wrongSort.success).toBe(false);
    expect(wrongSort.error?.issues[0]).toMatchObject({
      path: ['after'],
      message: 'belongs to another sort order; start again from the first page',
    });
    for (const garbage of ['', 'x', '!!!', 'eyJ2IjoxfQ', btoa('[1,2]'), after.slice(0, -4)]) {
      expect(TicketListQuery.safeParse({ after: garbage }).success, garbage).toBe(false);
    }
  });
});

describe('ticket cursors', () => {
  it('round-trip, URL-safe, for every sort', () => {
    const cases = [
      { field: 'updatedAt', keys: ['2026-01-01T00:00:00.000Z'] },
      { field: 'createdAt', keys: ['2026-01-01T00:00:00.000Z'] },
      { field: 'lastCustomerReplyAt', keys: ['2026-01-01T00:00:00.000Z'] },
      { field: 'priority', keys: [3, '2026-01-01T00:00:00.000Z'] },
      { field: 'status', keys: [5, '2026-01-01T00:00:00.000Z'] },
      { field: 'number', keys: [42] },
      { field: 'number', keys: [null] },
    ] as const;
    for (const c of cases) {
      for (const direction of ['asc', 'desc'] as const) {
        const cursor = { field: c.field, direction, keys: [...c.keys], id: OTHER };
        const encoded = encodeTicketCursor(cursor);
        expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeTicketCursor(encoded)).toEqual(cursor);
      }
    }
  });

  it('refuses keys that do not fit the sort, and tampering', () => {
    const forge = (payload: unknown) =>
      btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const good = { v: 1, f: 'priority', d: 'asc', k: [1, '2026-01-01T00:00:00.000Z'], id: ME };
    expect(decodeTicketCursor(forge(good))).not.toBeNull();
    for (const bad of [
      { ...good, v: 2 },
      { ...good, f: 'subject' },
      { ...good, d: 'up' },
      { ...good, k: [9, '2026-01-01T00:00:00.000Z'] },
      { ...good, k: ['1', '2026-01-01T00:00:00.000Z'] },
      { ...good, k: [1] },
      { ...good, f: 'number', k: [0] },
      { ...good, id: '' },
      { ...good, extra: true },
      null,
      [],
    ]) {
      expect(decodeTicketCursor(forge(bad)), JSON.stringify(bad)).toBeNull();
    }
  });

  it('stays ASCII whatever the keys hold', () => {
    const cursor = {
      field: 'updatedAt' as const,
      direction: 'desc' as const,
      keys: ['zeit-ü-日本'],
      id: 'x',
    };
    const encoded = encodeTicketCursor(cursor);
    expect(decodeTicketCursor(encoded)).toEqual(cursor);
  });
});
