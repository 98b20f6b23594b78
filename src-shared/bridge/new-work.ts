import { z } from 'zod';

/** The ticket a notice is about, as a list shows it. */
const AboutTicket = {
  ticketId: z.string(),
  number: z.number().int().nullable(),
  subject: z.string(),
};

/**
 * Something new for the agent: a ticket assigned to them, a reply from the requester of one of
 * their tickets, or a change of theirs needing a look (ticketId null: not a ticket's change).
 */
export const NewWorkNotice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assigned'), ...AboutTicket }),
  z.object({ kind: z.literal('customer-reply'), ...AboutTicket }),
  z.object({
    kind: z.literal('needs-attention'),
    itemId: z.number().int(),
    ticketId: z.string().nullable(),
    problem: z.enum(['conflict', 'rejected']),
  }),
]);
export type NewWorkNotice = z.infer<typeof NewWorkNotice>;

/** The `newWork` event: what one check of the replica found new. */
export const NewWorkEvent = z.object({ notices: z.array(NewWorkNotice) });

/** The `openTicket` event: the shell asks the renderer to open a ticket (a notification's click). */
export const OpenTicketEvent = z.object({ ticketId: z.string() });
