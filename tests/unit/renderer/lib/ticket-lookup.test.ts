import { describe, expect, it } from 'vitest';
import { decodeTicketCursor, TicketListQuery } from '../../../../src-shared/bridge/ticket-query';
import { ticketByNumberQuery, ticketNumberIn } from '../../../../src-renderer/lib/ticket-lookup';

describe('ticketNumberIn', () => {
  it('reads "123" and "#123", and nothing else', () => {
    expect(ticketNumberIn('123')).toBe(123);
    expect(ticketNumberIn(' #42 ')).toBe(42);
    expect(ticketNumberIn('# 7')).toBe(7);
    expect(ticketNumberIn('#0')).toBeNull();
    expect(ticketNumberIn('12a')).toBeNull();
    expect(ticketNumberIn('printer 12')).toBeNull();
    expect(ticketNumberIn('')).toBeNull();
  });
});

describe('ticketByNumberQuery', () => {
  it('asks for one row by number, newest first, starting after number + 1', () => {
    const query = ticketByNumberQuery(57);
    expect(TicketListQuery.safeParse(query).success).toBe(true);
    expect(query).toMatchObject({ sort: { field: 'number', direction: 'desc' }, limit: 1 });
    expect(decodeTicketCursor(query.after!)).toEqual({
      field: 'number',
      direction: 'desc',
      keys: [58],
      id: '0',
    });
  });
});
