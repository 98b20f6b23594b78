import { z } from 'zod';
import { LIMITS, User } from '../domain/entities';
import { Role, TicketStatus } from '../domain/enums';
import { Email, IsoTime, Uuid, requiredText } from '../domain/primitives';
import { Password } from './auth';
import { SupportAccessScope } from './operator';

export const CreateUserRequest = z.strictObject({
  name: requiredText(LIMITS.name),
  email: Email,
  role: Role,
  /** Without it the user is invited: they set their own password with the setup token. */
  password: Password.optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .strictObject({ role: Role.optional(), active: z.boolean().optional() })
  .refine(
    (body) => body.role !== undefined || body.active !== undefined,
    'must set role or active',
  );
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserResponse = z.object({ user: User });
export type UserResponse = z.infer<typeof UserResponse>;

/** Shown to the admin once, to hand over; the service keeps only its hash. */
export const PasswordSetupToken = z.object({ setupToken: z.string(), expiresAt: IsoTime });
export type PasswordSetupToken = z.infer<typeof PasswordSetupToken>;

export const CreateUserResponse = z.object({ user: User, setup: PasswordSetupToken.optional() });
export type CreateUserResponse = z.infer<typeof CreateUserResponse>;

/** An admin's password reset takes no members; the body may be `{}` or absent. */
export const ResetPasswordRequest = z.strictObject({});

export const ResetPasswordResponse = z.object({ user: User, setup: PasswordSetupToken });
export type ResetPasswordResponse = z.infer<typeof ResetPasswordResponse>;

/** Buckets describing fewer people than this are left out of every statistic. */
export const STATS_MIN_BUCKET = 5;

/**
 * Aggregate, non-identifying statistics (the seed's "aggregate usage and volume statistical
 * information"): counts only, no ids, names or addresses, and no bucket that describes fewer than
 * STATS_MIN_BUCKET people (requesters for ticket buckets, users for activity).
 */
export const StatsResponse = z.object({
  generatedAt: z.string(),
  minBucketSize: z.number().int(),
  days: z.number().int(),
  ticketsByStatus: z.array(z.object({ status: TicketStatus, tickets: z.number().int() })),
  ticketsByDay: z.array(
    z.object({ day: z.string(), status: TicketStatus, tickets: z.number().int() }),
  ),
  suppressedBuckets: z.number().int(),
  /** Users who signed in during the period; null when fewer than the minimum. */
  activeUsers: z.number().int().nullable(),
});
export type StatsResponse = z.infer<typeof StatsResponse>;

export const StatsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(30),
});

/** One support access to the tenant's records by the service's staff, as its admins see it. */
export const SupportAccessEntry = z.object({
  at: z.string(),
  operatorEmail: z.string(),
  reason: z.string(),
  scope: SupportAccessScope,
  ticketId: Uuid.nullable(),
});
export type SupportAccessEntry = z.infer<typeof SupportAccessEntry>;

export const SupportAccessQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const SupportAccessListResponse = z.object({ entries: z.array(SupportAccessEntry) });
export type SupportAccessListResponse = z.infer<typeof SupportAccessListResponse>;
