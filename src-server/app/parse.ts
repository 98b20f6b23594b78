import type { z } from 'zod';
import { describeIssues, type FieldIssue } from '../../src-shared/protocol/errors';
import { textIssues } from '../../src-shared/protocol/text';
import { ApiError } from './api-error';

function invalid(what: string, details: FieldIssue[]): ApiError {
  const first = details[0];
  return new ApiError(
    'bad_request',
    `Invalid ${what}${first ? `: ${first.path} ${first.message}` : ''}.`,
    { details },
  );
}

/**
 * Parses untrusted input with a shared schema; a failure is a 400 naming every bad field. Text
 * that is not protocol text (NUL, unpaired surrogates: src-shared/protocol/text.ts) is a 400 too,
 * unless `text: 'unchecked'` leaves it to a later check (each mutation of a push on its own).
 */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
  { text = 'checked' }: { text?: 'checked' | 'unchecked' } = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(what, describeIssues(result.error.issues));
  const badText = text === 'checked' ? textIssues(result.data) : [];
  if (badText.length > 0) throw invalid(what, badText);
  return result.data;
}
