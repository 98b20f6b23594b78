import type { FieldConflict, MutationBase } from './types';

/** Structural equality for field values (JSON-like: primitives, arrays, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface MergeResult<T> {
  next: T;
  changed: string[];
  conflicts: FieldConflict[];
}

/**
 * Applies `fields` to `current` field by field. A field is in conflict when the agent said what it
 * was based on (`base` has the key), and the current value differs from both that base and the new
 * value: it is left alone and reported. Fields without a base are written blindly.
 */
export function mergeFields<T extends object>(
  current: T,
  fields: Partial<T>,
  base: MutationBase | undefined,
): MergeResult<T> {
  const next = { ...current } as Record<string, unknown>;
  const changed: string[] = [];
  const conflicts: FieldConflict[] = [];
  for (const [field, mine] of Object.entries(fields)) {
    if (mine === undefined) continue;
    const server = (current as Record<string, unknown>)[field];
    if (sameValue(server, mine)) continue;
    if (
      base &&
      Object.prototype.hasOwnProperty.call(base, field) &&
      !sameValue(server, base[field])
    ) {
      conflicts.push({ field, server, mine });
      continue;
    }
    next[field] = mine;
    changed.push(field);
  }
  return { next: next as T, changed, conflicts };
}
