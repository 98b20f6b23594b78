/**
 * Redaction of what goes into the diagnostics log and report: nothing a support person reads may
 * carry a password, a token, a cookie or what customers and agents wrote. By key (whatever the
 * value) and by pattern (wherever a secret-looking string turns up, in messages and stacks too).
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets. */
const SECRET_KEY =
  /pass(word|phrase|wd)?|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|private[-_]?key|signature|session[-_]?id|^ca(certificate)?$/i;

/** Keys whose values are what people wrote or ticket contents: bodies, descriptions, replies… */
const CONTENT_KEY =
  /^(body|bodies|description|text|html|content|reply|reply[-_]?text|subject|comment|comments|note|notes|args|data|data[-_]?base64|json|draft|query)$/i;

/** The longest string kept; more is cut (a log line stays a line, not a dump). */
const MAX_STRING = 2000;
const MAX_DEPTH = 8;

const PATTERNS: Array<[RegExp, string]> = [
  // JSON Web Tokens (header.payload.signature, base64url).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted:jwt]'],
  // Authorization schemes followed by their credentials.
  [/\b(Bearer|Basic|Token|Digest)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // Cookie headers written out as text.
  [/\b(set-cookie|cookie)(\s*[:=]\s*)[^\r\n]*/gi, `$1$2${REDACTED}`],
  // name=value and "name": "value" pairs of secrets inside text (query strings, JSON, messages).
  [
    /\b([\w-]*(?:password|passwd|secret|token|api[-_]?key|authorization|credential)[\w-]*)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // Long hex (keys, digests) and long base64 / base64url runs (tokens, keys).
  [/\b[0-9a-fA-F]{32,}\b/g, '[redacted:hex]'],
];

/** Long base64 / base64url runs (tokens, keys); not file paths, which stack traces are full of. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
/** A path: words between slashes, each short, without digits and with at most one capital. */
const isPathLike = (run: string) =>
  run.includes('/') &&
  run
    .split('/')
    .every((segment) => segment.length <= 24 && /^[a-z_-]*[A-Z]?[a-z_-]*$/.test(segment));

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})/g;

export interface RedactOptions {
  /** `jane@example.com` → `j***@e***.com`. */
  maskEmails?: boolean;
}

/** A string with every secret-looking part replaced, cut to a bounded length. */
export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…[cut]` : text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  out = out.replace(BASE64_RUN, (run) => (isPathLike(run) ? run : '[redacted:base64]'));
  if (options.maskEmails) out = out.replace(EMAIL, '$1***@$2***.$3');
  return out;
}

/** A key is redacted when it names a secret or content, and its value is anything at all. */
export function isRedactedKey(key: string): boolean {
  return SECRET_KEY.test(key) || CONTENT_KEY.test(key);
}

/**
 * A JSON-safe copy of `value` with secrets and contents removed: values under secret or content
 * keys become `[redacted]`, every string is scrubbed by pattern, errors become their name, message,
 * code and stack (scrubbed too). Cycles and depth are bounded.
 */
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  const seen = new WeakSet<object>();
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return redactText(item, options);
    if (item === null || typeof item !== 'object') {
      return typeof item === 'bigint' || typeof item === 'function' || typeof item === 'symbol'
        ? String(item)
        : item;
    }
    if (seen.has(item)) return '[cycle]';
    if (depth >= MAX_DEPTH) return '[deep]';
    seen.add(item);
    if (item instanceof Error) {
      const { code } = item as { code?: unknown };
      return walk(
        {
          name: item.name,
          message: item.message,
          ...(typeof code === 'string' ? { code } : {}),
          ...(item.stack ? { stack: item.stack } : {}),
        },
        depth + 1,
      );
    }
    if (Array.isArray(item)) return item.map((member) => walk(member, depth + 1));
    return Object.fromEntries(
      Object.entries(item).map(([key, member]) => [
        key,
        isRedactedKey(key) ? REDACTED : walk(member, depth + 1),
      ]),
    );
  };
  return walk(value, 0);
}
