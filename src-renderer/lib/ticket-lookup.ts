import {
  encodeTicketCursor,
  type TicketListQueryInput,
} from '../../src-shared/bridge/ticket-query';

/** The ticket number the palette's text asks for ("123" or "#123"), or null. */
export function ticketNumberIn(text: string): number | null {
  const match = /^#?\s*(\d{1,9})$/.exec(text.trim());
  if (!match) return null;
  const number = Number(match[1]);
  return number > 0 ? number : null;
}

/**
 * The list query whose first row is ticket #number when it exists. By number, newest first, the
 * page starts after a ticket numbered number + 1 whose id sorts before every id (`0`): keyset paging
 * then begins at #number itself. The caller checks the row's number (the ticket may not exist).
 */
export function ticketByNumberQuery(number: number): TicketListQueryInput {
  const sort = { field: 'number', direction: 'desc' } as const;
  return {
    sort,
    limit: 1,
    after: encodeTicketCursor({ ...sort, keys: [number + 1], id: '0' }),
  };
}
