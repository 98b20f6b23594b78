import type { z } from 'zod';

/**
 * The editable records of the settings screen (profile, company) as forms: which fields were
 * edited, what to send for them, and the shared mutation schema's verdict in plain words.
 */

export interface FieldSpec<K extends string> {
  key: K;
  label: string;
  /** May be left empty or removed (sent as null, which clears it on the service too). */
  optional: boolean;
  type: 'text' | 'tel' | 'url' | 'number';
  autoComplete: string;
  /** What to say when the value is refused, where the schema's own words would not do. */
  invalid?: string;
}

/** The text each edited field's box holds; a field not in it shows the record's value. */
export type Edits<K extends string> = Partial<Record<K, string>>;

export type FieldValue = string | number | null;

/** A record's value as a text box shows it (an absent one is empty). */
export const shownValue = (value: unknown): string =>
  value === null || value === undefined ? '' : String(value);

function sentValue<K extends string>(spec: FieldSpec<K>, text: string): FieldValue {
  const trimmed = text.trim();
  if (spec.type === 'number') return trimmed === '' ? Number.NaN : Number(trimmed);
  return trimmed === '' && spec.optional ? null : trimmed;
}

/** The edited fields whose value differs from the record's, as the mutation takes them. */
export function changedFields<K extends string>(
  specs: readonly FieldSpec<K>[],
  record: Readonly<Partial<Record<K, unknown>>>,
  edits: Edits<K>,
): Partial<Record<K, FieldValue>> {
  const changes: Partial<Record<K, FieldValue>> = {};
  for (const spec of specs) {
    const text = edits[spec.key];
    if (text === undefined) continue;
    const value = sentValue(spec, text);
    if (value !== (record[spec.key] ?? null)) changes[spec.key] = value;
  }
  return changes;
}

/**
 * Checks the changes against the mutation's args schema (the one the replica and the service
 * apply), so that a refusal names the field in words instead of coming back as "invalid args".
 * Answers the first problem, or null.
 */
export function changesProblem<K extends string>(
  schema: z.ZodType,
  specs: readonly FieldSpec<K>[],
  changes: Partial<Record<K, FieldValue>>,
): string | null {
  const result = schema.safeParse({ fields: changes });
  if (result.success) return null;
  for (const issue of result.error.issues) {
    const spec = specs.find((s) => issue.path.includes(s.key));
    if (!spec) continue;
    if (spec.invalid) return spec.invalid;
    if (issue.code === 'too_big' && issue.origin === 'string')
      return `${spec.label} may be at most ${issue.maximum} characters.`;
    return `${spec.label} ${issue.message}.`;
  }
  return result.error.issues[0]?.message ?? 'These values are not valid.';
}
