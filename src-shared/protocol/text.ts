import type { FieldIssue } from './errors';

/**
 * Text of protocol v1 is well-formed Unicode without NUL. A string (value or object key) holding
 * U+0000 or an unpaired UTF-16 surrogate is refused wherever it comes in: in a request (400
 * bad_request) and in a mutation's args (the mutation is rejected, on the desktop before it is
 * queued). Neither is text a person means, and PostgreSQL cannot store either in a text column,
 * so one rule here keeps both storages answering alike.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` is not protocol text, or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (an unpaired surrogate)';
  return null;
}

/** Where a value sits in the JSON: its key and its parent's place (the root has none). */
interface Place {
  key: string;
  parent: Place | null;
}

function pathOf(place: Place | null): string {
  const keys: string[] = [];
  for (let p = place; p; p = p.parent) keys.unshift(p.key);
  return keys.length ? keys.join('.') : '(root)';
}

/** Issues found in parsed JSON, at most `max`: one per string or key that is not protocol text. */
export function textIssues(value: unknown, max = 20): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // A stack, not recursion: JSON nests deeper than the call stack allows.
  const stack: Array<{ value: unknown; place: Place | null }> = [{ value, place: null }];
  while (stack.length > 0 && issues.length < max) {
    const { value: current, place } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) issues.push({ path: pathOf(place), message: problem });
    } else if (Array.isArray(current)) {
      current.forEach((item, i) =>
        stack.push({ value: item, place: { key: String(i), parent: place } }),
      );
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const child = { key, parent: place };
        const problem = textProblem(key);
        if (problem) issues.push({ path: pathOf(child), message: `key ${problem}` });
        stack.push({ value: item, place: child });
      }
    }
  }
  return issues.slice(0, max);
}
