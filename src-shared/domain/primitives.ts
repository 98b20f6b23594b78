import { z } from 'zod';

/** Entity ids are UUIDs (any version: clients choose them). */
export const Uuid = z.uuid({ message: 'must be a UUID' });

/** ISO-8601 UTC timestamps, as the service writes them (`Date.prototype.toISOString`). */
export const IsoTime = z.iso.datetime({ message: 'must be an ISO-8601 UTC time' });

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

/** A required human text field: trimmed, not empty, bounded. */
export const requiredText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const Phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[0-9+()./ x-]*$/i, 'may hold only digits, spaces and + ( ) . / - x');

export const Website = z
  .string()
  .trim()
  .max(200)
  .regex(/^https?:\/\/[^\s/$.?#][^\s]*$/i, 'must be an http(s) URL');

/**
 * An optional field as the seed document describes them (title, department, fax...): customers may
 * leave it out and may remove it later. Stored and sent as null when absent.
 */
export const nullable = <T extends z.ZodType>(inner: T) => inner.nullable();

/**
 * Input form of an optional field in an edit: an empty string or null removes it, a value sets it.
 * Normalised to null so that storage and conflict checks see one "absent" value.
 */
export const clearable = <T extends z.ZodType<string>>(inner: T) =>
  z.union([z.literal(''), z.null(), inner]).transform((value) => (value === '' ? null : value));

/** Tags: lower case, no spaces, at most 40 characters; sets are sorted and unique. */
export const Tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(40)
  .regex(/^[\p{L}\p{N}_\-.:/]+$/u, 'may hold only letters, digits and _ - . : /');

export const TagList = z.array(Tag).max(50);

/** Path separators, control characters and lone surrogates: none belongs in a file's name. */
function unsafeInFileName(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (
    char === '/' ||
    char === '\\' ||
    code < 0x20 ||
    code === 0x7f ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

/**
 * A file's name as uploaded. It goes into a Content-Disposition header (percent-encoded as UTF-8,
 * which a lone surrogate cannot be) and never into a path.
 */
export const FileName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255)
  .refine((name) => ![...name].some(unsafeInFileName), 'may not hold / \\ or control characters');

/** A media type without parameters, lower case (`image/png`). */
export const MediaType = z
  .string()
  .trim()
  .toLowerCase()
  .max(100)
  .regex(
    /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/,
    'must be a media type such as image/png',
  );

/** A SHA-256 digest in lower-case hex. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex');

export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort();
}
