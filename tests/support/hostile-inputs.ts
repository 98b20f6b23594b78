import fc from 'fast-check';

/**
 * Hostile values for fuzzing every entry point (the service's endpoints, the bridge): SQL and FTS5
 * metacharacters, unicode that breaks naive code (NUL, lone surrogates, RTL overrides, joiners),
 * markup, prototype-pollution keys and deep nesting. None contains a whole SQL statement or an
 * error text, so finding one of those in an answer means the answer leaked it.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR 1=1 --",
  "'; DROP TABLE records; --",
  '" OR ""="',
  "1' UNION ALL SELECT 1,2,3 --",
  "\\'; --",
  '%',
  '_',
  '"',
  '"unterminated',
  '*',
  'prefix*',
  'NEAR(',
  'NEAR(a b, 2)',
  '^start',
  '-excluded',
  'a OR',
  'AND',
  'NOT',
  'subject:',
  '{a b}:x',
  '(',
  ')',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil.exe',
  'مرحبا بالعالم',
  '👩‍👩‍👧‍👦',
  '\ufeff\u200b\u2028\u2029',
  'Z\u0364\u0351\u0313\u0324\u0354',
  '\uffff\ufffe',
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  'javascript:window.__pwned=1',
  '../../../../etc/passwd',
  '%2e%2e%2f%00',
  '${7*7}{{7*7}}%s%n',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '',
  ' ',
  'x'.repeat(100_000),
];

/** Keys that mutate prototypes when merged naively, and ones that shadow built-in methods. */
export const HOSTILE_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '',
  '\u0000',
  "' OR 1=1 --",
];

/** A value nested `depth` levels deep (arrays or objects), as JSON text: no stack is spent on it. */
export function deeplyNestedJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** An object with `key` as an own, enumerable property, even for `__proto__`. */
export function withOwnKey(target: object, key: string, value: unknown): object {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      -0,
      1e308,
      -1,
      Number.MAX_SAFE_INTEGER + 2,
      true,
      null,
      [],
      {},
      JSON.parse('{"__proto__":{"polluted":true}}'),
      JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
    ),
  },
);

/**
 * `valid` spoiled in one place: a leaf replaced with a hostile value, or a hostile key added to
 * one of its objects (or to the top when it has none).
 */
export function spoiled(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), fc.boolean(), hostileValue, fc.constantFrom(...HOSTILE_KEYS))
    .map(([value, at, replaceLeaf, bad, key]) =>
      replaceLeaf ? replaceNthLeaf(value, at, bad) : addKeyToNthObject(value, at, key, bad),
    );
}

/** Paths to every leaf; an empty array or object is a leaf itself. */
function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const children = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  if (children.length === 0) return [path];
  return children.flatMap(([k, v]) => leaves(v, [...path, k]));
}

function replaceNthLeaf(value: unknown, n: number, bad: unknown): unknown {
  const all = leaves(value);
  const path = all[n % all.length]!;
  return setAt(value, path, bad);
}

function setAt(value: unknown, path: Array<string | number>, bad: unknown): unknown {
  if (path.length === 0) return bad;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    return value.map((v, i) => (i === head ? setAt(v, rest, bad) : v));
  }
  const record = value as Record<string, unknown>;
  return withOwnKey(record, String(head), setAt(record[String(head)], rest, bad));
}

function addKeyToNthObject(value: unknown, n: number, key: string, bad: unknown): unknown {
  const objects: Array<Array<string | number>> = [];
  const walk = (v: unknown, path: Array<string | number>) => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (v && typeof v === 'object') {
      objects.push(path);
      for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
    }
  };
  walk(value, []);
  if (objects.length === 0) return withOwnKey({ value }, key, bad);
  const path = objects[n % objects.length]!;
  const target = path.reduce<unknown>(
    (v, k) => (v as Record<string | number, unknown>)[k],
    value,
  ) as object;
  return path.length === 0
    ? withOwnKey(target, key, bad)
    : setAt(value, path, withOwnKey(target, key, bad));
}

/**
 * Percent-encodes any string for a URL, lone surrogates included (as their WTF-8 bytes, which are
 * invalid UTF-8: what a hostile client would send), where encodeURIComponent throws.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const char of value) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}
