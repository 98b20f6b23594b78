import type { z } from 'zod';
import { describeIssues } from '../../src-shared/protocol/errors';
import { ApiError } from './api-error';

/** Parses untrusted input with a shared schema; a failure is a 400 naming every bad field. */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = describeIssues(result.error.issues);
    const first = details[0];
    throw new ApiError(
      'bad_request',
      `Invalid ${what}${first ? `: ${first.path} ${first.message}` : ''}.`,
      {
        details,
      },
    );
  }
  return result.data;
}
