import { describe, expect, it } from 'vitest';
import { bulkItems, bulkOutcome, type CheckedTicket } from '../../../../src-renderer/lib/bulk';

const t1: CheckedTicket = { id: 'a', number: 1, subject: 'One' };
const t2: CheckedTicket = { id: 'b', number: null, subject: 'Two' };

describe('bulkItems', () => {
  it('makes one mutation per change and ticket, change by change', () => {
    const items = bulkItems(
      [
        { kind: 'fields', fields: { priority: 'urgent' } },
        { kind: 'add-tag', tag: 'vip' },
        { kind: 'remove-tag', tag: 'old' },
      ],
      [t1, t2],
    );
    expect(items.map((i) => [i.ticket.id, i.mutation])).toEqual([
      ['a', { name: 'setTicketFields', args: { ticketId: 'a', fields: { priority: 'urgent' } } }],
      ['b', { name: 'setTicketFields', args: { ticketId: 'b', fields: { priority: 'urgent' } } }],
      ['a', { name: 'addTags', args: { ticketId: 'a', tags: ['vip'] } }],
      ['b', { name: 'addTags', args: { ticketId: 'b', tags: ['vip'] } }],
      ['a', { name: 'removeTags', args: { ticketId: 'a', tags: ['old'] } }],
      ['b', { name: 'removeTags', args: { ticketId: 'b', tags: ['old'] } }],
    ]);
  });
});

describe('bulkOutcome', () => {
  const items = bulkItems(
    [
      { kind: 'fields', fields: { status: 'open' } },
      { kind: 'add-tag', tag: 'vip' },
    ],
    [t1, t2],
  );

  it('counts the queued mutations and names each ticket refused once, with its first reason', () => {
    const outcome = bulkOutcome(items, [
      { ok: true, mutationId: 1 },
      { ok: false, code: 'not_found', message: 'ticket not found' },
      { ok: true, mutationId: 2 },
      { ok: false, code: 'bad_request', message: 'later reason' },
    ]);
    expect(outcome).toEqual({
      queued: 2,
      changed: 1,
      failures: [{ ticket: t2, message: 'ticket not found' }],
    });
  });

  it('counts no ticket as changed whose mutations got no answer', () => {
    expect(bulkOutcome(items, [{ ok: true, mutationId: 1 }])).toEqual({
      queued: 1,
      changed: 0,
      failures: [],
    });
  });
});
