import { describe, expect, it } from 'vitest';
import {
  NO_CHANGES,
  collides,
  withComment,
  withTicket,
  type SeenTicket,
} from '../../../../src-main/core/replica/held-changes';
import type { Comment, Ticket } from '../../../../src-shared/domain/entities';

const ME = '10000000-0000-4000-8000-0000000000a1';
const OTHER = '10000000-0000-4000-8000-0000000000a2';
const T0 = '2026-01-01T00:00:00.000Z';

const ticket = (overrides: Partial<Ticket> = {}): Ticket => ({
  id: '10000000-0000-4000-8000-0000000000b1',
  number: 7,
  subject: 'Printer on fire',
  description: '',
  status: 'open',
  priority: 'normal',
  type: null,
  requesterId: '10000000-0000-4000-8000-0000000000d1',
  assigneeId: ME,
  tags: [],
  createdBy: ME,
  createdAt: T0,
  updatedAt: T0,
  ...overrides,
});
const comment = (overrides: Partial<Comment> = {}): Comment => ({
  id: '10000000-0000-4000-8000-0000000000c1',
  ticketId: ticket().id,
  authorId: null,
  body: 'Hello',
  public: true,
  createdAt: T0,
  ...overrides,
});
const seen: SeenTicket = { status: 'open', assigneeId: ME };

describe('withComment', () => {
  it("counts someone else's public comments, with the first line of the first", () => {
    const long = 'x'.repeat(300);
    let changes = withComment(NO_CHANGES, comment({ body: `  ${long}\r\nsecond line` }), ME);
    changes = withComment(changes, comment({ authorId: OTHER, body: 'Later' }), ME);
    expect(changes).toEqual({
      ...NO_CHANGES,
      newComments: 2,
      firstLine: 'x'.repeat(200),
      fromCustomer: true,
    });
    expect(collides(changes)).toBe(true);
  });

  it('ignores internal notes and my own comments', () => {
    expect(withComment(NO_CHANGES, comment({ public: false, authorId: OTHER }), ME)).toBe(
      NO_CHANGES,
    );
    expect(withComment(NO_CHANGES, comment({ authorId: ME }), ME)).toBe(NO_CHANGES);
  });

  it('an agent comment alone is not from the customer', () => {
    expect(withComment(NO_CHANGES, comment({ authorId: OTHER }), ME).fromCustomer).toBe(false);
  });
});

describe('withTicket', () => {
  it('records a new status or assignee from what I saw', () => {
    const after = ticket({ status: 'solved', assigneeId: OTHER });
    expect(withTicket(NO_CHANGES, seen, ticket(), after, ME)).toEqual({
      ...NO_CHANGES,
      status: { from: 'open', to: 'solved' },
      assignee: { from: ME, to: OTHER },
    });
  });

  it('ignores fields the service did not change now, and other fields', () => {
    const before = ticket({ status: 'solved' });
    const after = ticket({ status: 'solved', priority: 'urgent', tags: ['x'], subject: 'New' });
    expect(withTicket(NO_CHANGES, seen, before, after, ME)).toBe(NO_CHANGES);
  });

  it('my own change arriving back is not a collision', () => {
    const mine: SeenTicket = { status: 'pending', assigneeId: ME };
    expect(withTicket(NO_CHANGES, mine, ticket(), ticket({ status: 'pending' }), ME)).toBe(
      NO_CHANGES,
    );
  });

  it('being assigned the ticket myself, or unassigned then back, is not one either', () => {
    const unassigned: SeenTicket = { status: 'open', assigneeId: null };
    const before = ticket({ assigneeId: null });
    expect(withTicket(NO_CHANGES, unassigned, before, ticket(), ME)).toBe(NO_CHANGES);
    const away = withTicket(NO_CHANGES, seen, ticket(), ticket({ assigneeId: null }), ME);
    expect(away.assignee).toEqual({ from: ME, to: null });
    const back = withTicket(away, seen, ticket({ assigneeId: null }), ticket(), ME);
    expect(back.assignee).toBeNull();
    expect(collides(back)).toBe(false);
  });

  it('a status changed twice runs from what I saw to the newest', () => {
    const once = withTicket(NO_CHANGES, seen, ticket(), ticket({ status: 'pending' }), ME);
    const twice = withTicket(
      once,
      seen,
      ticket({ status: 'pending' }),
      ticket({ status: 'closed' }),
      ME,
    );
    expect(twice.status).toEqual({ from: 'open', to: 'closed' });
  });
});
