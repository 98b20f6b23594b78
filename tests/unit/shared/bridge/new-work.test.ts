import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENTS } from '../../../../src-shared/bridge/contract';
import { NewWorkNotice } from '../../../../src-shared/bridge/new-work';
import { noticeText, numberedSubject } from '../../../../src-shared/bridge/new-work-text';

describe('the newWork and openTicket events', () => {
  it('carry notices of the three kinds, and a ticket id', () => {
    const notices = [
      { kind: 'assigned', ticketId: 't1', number: 7, subject: 'Printer jams' },
      { kind: 'customer-reply', ticketId: 't2', number: null, subject: 'VPN down' },
      { kind: 'needs-attention', itemId: 3, ticketId: null, problem: 'conflict' },
    ];
    expect(BRIDGE_EVENTS.newWork.parse({ notices })).toEqual({ notices });
    expect(BRIDGE_EVENTS.openTicket.parse({ ticketId: 't1' })).toEqual({ ticketId: 't1' });
  });

  it('refuse an unknown kind or a notice missing its ticket', () => {
    expect(NewWorkNotice.safeParse({ kind: 'mentioned', ticketId: 't1' }).success).toBe(false);
    expect(
      NewWorkNotice.safeParse({ kind: 'assigned', number: 1, subject: 'No ticket' }).success,
    ).toBe(false);
    expect(BRIDGE_EVENTS.openTicket.safeParse({}).success).toBe(false);
  });
});

describe('noticeText', () => {
  it('names the ticket by number and subject, or by subject before it has a number', () => {
    expect(numberedSubject({ number: 12, subject: 'Printer jams' })).toBe('#12 Printer jams');
    expect(numberedSubject({ number: null, subject: 'Printer jams' })).toBe('Printer jams');
    expect(
      noticeText({ kind: 'customer-reply', ticketId: 't', number: 3, subject: 'VPN down' }),
    ).toEqual({ title: 'The customer replied', body: '#3 VPN down' });
    expect(
      noticeText({ kind: 'needs-attention', itemId: 1, ticketId: 't', problem: 'conflict' }),
    ).toEqual({
      title: 'A change needs your attention',
      body: 'Someone else changed the same ticket: choose which version to keep.',
    });
  });
});
