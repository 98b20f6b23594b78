import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so that equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Identifies what a mutation id was used for: a re-sent id with another content is `id_reused`. */
export function mutationHash(mutation: { name: string; args: unknown; base?: unknown }): string {
  return createHash('sha256')
    .update(canonicalJson({ name: mutation.name, args: mutation.args, base: mutation.base ?? null }))
    .digest('hex');
}
