import type { TicketSummary } from '../../src-shared/bridge/ticket-query';
import { helpdesk } from '../bridge';
import { ticketByNumberQuery, ticketNumberIn } from '../lib/ticket-lookup';

/** Tickets the command palette offers for a query. */
export const PALETTE_TICKETS = 8;

/**
 * The ticket numbered as the query says ("#123", "123"), or the tickets whose subject, text or
 * requester match it, as the search box would find them.
 */
export async function findTickets(query: string): Promise<TicketSummary[]> {
  const number = ticketNumberIn(query);
  try {
    if (number !== null) {
      const { tickets } = await helpdesk().listTickets(ticketByNumberQuery(number));
      return tickets.filter((ticket) => ticket.number === number);
    }
    return (await helpdesk().searchTickets({ text: query, limit: PALETTE_TICKETS })).tickets;
  } catch {
    // A query the search syntax refuses ("status:nope") finds no ticket; the commands remain.
    return [];
  }
}
