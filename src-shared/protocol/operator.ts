import { z } from 'zod';
import { Comment, Ticket } from '../domain/entities';
import { TicketPriority, TicketStatus } from '../domain/enums';
import { Email, IsoTime, Uuid } from '../domain/primitives';
import { PASSWORD_MAX, TenantSlug, TenantSummary } from './auth';

/**
 * Support access (the seed: "individual records may at times be viewed or accessed only for the
 * purpose of resolving a problem, support issue..."). Operators are the service's own staff,
 * outside every tenant; they open a tenant's records only through an audited call that says why.
 */

export const OperatorLoginRequest = z.strictObject({
  email: Email,
  password: z.string().min(1).max(PASSWORD_MAX),
});
export type OperatorLoginRequest = z.infer<typeof OperatorLoginRequest>;

export const OperatorTokenResponse = z.object({
  /** Short-lived and never refreshed: an operator logs in again for the next task. */
  accessToken: z.string(),
  expiresIn: z.number().int().positive(),
  operator: z.object({ id: Uuid, email: z.string() }),
});
export type OperatorTokenResponse = z.infer<typeof OperatorTokenResponse>;

export const SUPPORT_REASON_MIN = 10;
export const SUPPORT_REASON_MAX = 500;

/** What an access opened: the tenant's ticket list, or one ticket with its comments. */
export const SupportAccessScope = z.enum(['ticket_list', 'ticket']);
export type SupportAccessScope = z.infer<typeof SupportAccessScope>;

export const SupportAccessParams = z.strictObject({ slug: TenantSlug });

export const SupportAccessRequest = z.strictObject({
  reason: z.string().trim().min(SUPPORT_REASON_MIN).max(SUPPORT_REASON_MAX),
  ticketId: Uuid.optional(),
});
export type SupportAccessRequest = z.infer<typeof SupportAccessRequest>;

/** The audit row written before the records were read. */
export const SupportAccessRecord = z.object({
  id: Uuid,
  at: IsoTime,
  scope: SupportAccessScope,
  ticketId: Uuid.nullable(),
});

export const SupportTicketSummary = z.object({
  id: Uuid,
  number: z.number().int().positive().nullable(),
  subject: z.string(),
  status: TicketStatus,
  priority: TicketPriority,
  updatedAt: IsoTime,
});
export type SupportTicketSummary = z.infer<typeof SupportTicketSummary>;

/** At most this many tickets (the most recently changed) in a `ticket_list` access. */
export const SUPPORT_TICKET_LIST_MAX = 200;

export const SupportAccessResponse = z.discriminatedUnion('scope', [
  z.object({
    scope: z.literal('ticket_list'),
    access: SupportAccessRecord,
    tenant: TenantSummary,
    tickets: z.array(SupportTicketSummary),
  }),
  z.object({
    scope: z.literal('ticket'),
    access: SupportAccessRecord,
    tenant: TenantSummary,
    ticket: Ticket,
    comments: z.array(Comment),
  }),
]);
export type SupportAccessResponse = z.infer<typeof SupportAccessResponse>;
