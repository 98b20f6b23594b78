import { z } from 'zod';
import { ClientVersion } from './client-version';

/** The closed set of error codes of protocol v1 and the HTTP status each one travels with. */
export const ERROR_STATUS = {
  bad_request: 400,
  weak_password: 400,
  setup_token_invalid: 400,
  unauthorized: 401,
  account_disabled: 401,
  forbidden: 403,
  wrong_password: 403,
  password_setup_required: 403,
  not_found: 404,
  already_exists: 409,
  mutation_gap: 409,
  cursor_expired: 410,
  setup_token_expired: 410,
  payload_too_large: 413,
  upgrade_required: 426,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** Codes a single mutation can be rejected with (the batch itself still succeeds). */
export const REJECTION_CODES = [
  'bad_request',
  'not_found',
  'forbidden',
  'id_reused',
  'payload_too_large',
  'already_exists',
] as const;
export const RejectionCode = z.enum(REJECTION_CODES);
export type RejectionCode = z.infer<typeof RejectionCode>;

export const FieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

/** `{"error": {"code", "message", ...}}`; extra members (details, lastMutationId, minVersion) per code. */
export const ErrorEnvelope = z.object({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    details: z.array(FieldIssue).optional(),
    lastMutationId: z.number().int().nonnegative().optional(),
    /** upgrade_required: the oldest client version the service accepts (dropped if unreadable). */
    minVersion: ClientVersion.optional().catch(undefined),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Turns zod issues into the `details` of a bad_request: one entry per bad field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const pathOf = (path: readonly PropertyKey[]) =>
    path.length ? path.map(String).join('.') : '(root)';
  return issues.flatMap((issue) =>
    // An unknown member is named by its own path, so a client sees exactly which field to drop.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}
