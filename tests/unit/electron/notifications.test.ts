import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { NewWorkNotice } from '../../../src-shared/bridge/new-work';
import { notificationContents, showNotices } from '../../../src-main/electron/notifications';

vi.mock('electron', () => {
  throw new Error('notifications.ts must not import electron at runtime');
});

const assigned = (n: number, number: number | null = n): NewWorkNotice => ({
  kind: 'assigned',
  ticketId: `t${n}`,
  number,
  subject: `Printer ${n} jams`,
});
const attention = (n: number, problem: 'conflict' | 'rejected'): NewWorkNotice => ({
  kind: 'needs-attention',
  itemId: n,
  ticketId: null,
  problem,
});

describe('notificationContents', () => {
  it('one notification per notice, up to three of a kind', () => {
    expect(
      notificationContents([
        assigned(7),
        assigned(8, null),
        attention(1, 'conflict'),
        attention(2, 'rejected'),
      ]),
    ).toEqual([
      { title: 'Ticket assigned to you', body: '#7 Printer 7 jams', ticketId: 't7' },
      { title: 'Ticket assigned to you', body: 'Printer 8 jams', ticketId: 't8' },
      {
        title: 'A change needs your attention',
        body: 'Someone else changed the same ticket: choose which version to keep.',
        ticketId: null,
      },
      {
        title: 'A change needs your attention',
        body: 'The service refused one of your changes.',
        ticketId: null,
      },
    ]);
  });

  it('a summary per kind beyond three, which opens no ticket', () => {
    const many = [1, 2, 3, 4, 5].map((n) => assigned(n));
    expect(notificationContents([...many, attention(1, 'conflict')])).toEqual([
      {
        title: '5 tickets assigned to you',
        body: 'Open Help Desk to see them in My tickets.',
        ticketId: null,
      },
      expect.objectContaining({ title: 'A change needs your attention' }),
    ]);
    expect(notificationContents([1, 2, 3, 4].map((n) => attention(n, 'rejected')))).toEqual([
      {
        title: '4 changes need your attention',
        body: 'Open Needs attention in Help Desk to resolve them.',
        ticketId: null,
      },
    ]);
  });
});

describe('notificationContents of customer replies', () => {
  const reply = (n: number): NewWorkNotice => ({
    kind: 'customer-reply',
    ticketId: `t${n}`,
    number: n,
    subject: `Printer ${n} jams`,
  });

  it('names the ticket, or sums up beyond three', () => {
    expect(notificationContents([reply(7), assigned(8)])).toEqual([
      { title: 'Ticket assigned to you', body: '#8 Printer 8 jams', ticketId: 't8' },
      { title: 'The customer replied', body: '#7 Printer 7 jams', ticketId: 't7' },
    ]);
    expect(notificationContents([1, 2, 3, 4].map(reply))).toEqual([
      {
        title: '4 customers replied',
        body: 'Open Help Desk to see them in My tickets.',
        ticketId: null,
      },
    ]);
  });
});

describe('showNotices', () => {
  class FakeNotification extends EventEmitter {
    static shown: FakeNotification[] = [];
    static supported = true;
    static isSupported = () => FakeNotification.supported;
    constructor(readonly options: unknown) {
      super();
    }
    show() {
      FakeNotification.shown.push(this);
    }
  }

  it("shows each notification (title and text only); a click passes on its notice's ticket", () => {
    const onClick = vi.fn();
    const onTicket: NewWorkNotice = { ...attention(3, 'rejected'), ticketId: 't3' } as const;
    showNotices(
      FakeNotification as any,
      [assigned(1), attention(2, 'conflict'), onTicket],
      onClick,
    );
    expect(FakeNotification.shown.map((n) => n.options)).toEqual(
      notificationContents([assigned(1), attention(2, 'conflict'), onTicket]).map(
        ({ title, body }) => ({ title, body }),
      ),
    );
    FakeNotification.shown[0]!.emit('click');
    FakeNotification.shown[1]!.emit('click');
    FakeNotification.shown[2]!.emit('click');
    expect(onClick.mock.calls).toEqual([['t1'], [null], ['t3']]);
  });

  it('shows nothing where notifications are not supported', () => {
    FakeNotification.shown = [];
    FakeNotification.supported = false;
    showNotices(FakeNotification as any, [assigned(1)], () => undefined);
    expect(FakeNotification.shown).toEqual([]);
  });
});
