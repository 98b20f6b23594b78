import { z } from 'zod';
import { Attachment, Comment, Ticket } from '../domain/entities';
import { IsoTime, Uuid } from '../domain/primitives';

/**
 * Tickets read on demand (PROTOCOL extension), for a client that keeps only recent tickets
 * offline: one ticket with everything a replica holds of it, and a text search over the tenant's
 * tickets. Both read what the caller may see; neither changes anything.
 */

/** `GET /api/v1/tickets/<ref>`: a ticket number (digits) or a ticket id. */
export const TicketRef = z.union([
  z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'must be a ticket number or id')
    .transform((digits) => ({ number: Number(digits) })),
  Uuid.transform((id) => ({ id })),
]);
export type TicketRef = z.output<typeof TicketRef>;

/** One ticket with its comments and attachments (metadata), oldest first. */
export const TicketThread = z.object({
  ticket: Ticket,
  comments: z.array(Comment),
  attachments: z.array(Attachment),
});
export type TicketThread = z.infer<typeof TicketThread>;

/**
 * The words of a search as the service matches them: each one must appear, in any case, in the
 * subject or the description, ignoring the case of ASCII letters. At most 8; shorter than 2 characters, a word is left out.
 */
export function searchWords(q: string): string[] {
  // ASCII letters only: what lower() folds in SQLite, and in PostgreSQL under COLLATE "C".
  const words = q
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase())
    .split(/[\s"]+/u)
    .filter((word) => word.length >= 2);
  return [...new Set(words)].slice(0, 8);
}

export const TICKET_SEARCH_LIMIT_DEFAULT = 25;
export const TICKET_SEARCH_LIMIT_MAX = 50;

/** `GET /api/v1/tickets?q=…`: tickets whose subject or description hold every word of `q`. */
export const TicketSearchQuery = z.strictObject({
  q: z
    .string()
    .max(200)
    .refine((q) => searchWords(q).length > 0, 'must hold a word of 2 characters or more'),
  updatedBefore: IsoTime.optional(),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1)
    .max(TICKET_SEARCH_LIMIT_MAX)
    .default(TICKET_SEARCH_LIMIT_DEFAULT),
});
export type TicketSearchQuery = z.output<typeof TicketSearchQuery>;

/** Most recently updated first. */
export const TicketSearchResponse = z.object({ tickets: z.array(Ticket) });
export type TicketSearchResponse = z.infer<typeof TicketSearchResponse>;
