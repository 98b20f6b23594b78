import { createHash } from 'node:crypto';

type Frame = { text: string } | { value: unknown };

/**
 * JSON with object keys sorted, so that equal values always give equal text. Iterative: a client
 * may send args nested thousands of levels deep, and that must be a rejected mutation, not a
 * stack overflow that fails the whole push again on every retry.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [{ value }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('text' in frame) {
      out.push(frame.text);
      continue;
    }
    const current = frame.value;
    const frames: Frame[] = [];
    if (Array.isArray(current)) {
      frames.push({ text: '[' });
      current.forEach((item, i) => {
        if (i > 0) frames.push({ text: ',' });
        frames.push({ value: item === undefined ? null : item });
      });
      frames.push({ text: ']' });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      frames.push({ text: '{' });
      entries.forEach(([key, item], i) => {
        frames.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(key)}:` }, { value: item });
      });
      frames.push({ text: '}' });
    } else {
      out.push(JSON.stringify(current) ?? 'null');
    }
    for (let i = frames.length - 1; i >= 0; i--) stack.push(frames[i]!);
  }
  return out.join('');
}

/** The canonical text of a mutation's content: what its hash and its size are taken from. */
export function mutationContent(mutation: { name: string; args: unknown; base?: unknown }): string {
  return canonicalJson({ name: mutation.name, args: mutation.args, base: mutation.base ?? null });
}

export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Identifies what a mutation id was used for: a re-sent id with another content is `id_reused`. */
export function mutationHash(mutation: { name: string; args: unknown; base?: unknown }): string {
  return contentHash(mutationContent(mutation));
}
