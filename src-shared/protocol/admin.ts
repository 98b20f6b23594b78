import { z } from 'zod';
import { LIMITS, User } from '../domain/entities';
import { Role, TicketStatus } from '../domain/enums';
import { Email, requiredText } from '../domain/primitives';
import { Password } from './auth';

export const CreateUserRequest = z.strictObject({
  name: requiredText(LIMITS.name),
  email: Email,
  role: Role,
  password: Password,
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
