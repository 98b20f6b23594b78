import { describe, expect, it } from 'vitest';
import { planNewTicket, type NewTicketForm } from '../../../../src-renderer/lib/new-ticket';

const ids = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-00000000000${++n}`;
};
const base: NewTicketForm = {
  requester: { kind: 'existing', contactId: '00000000-0000-4000-8000-0000000000aa' },
  subject: '  Printer jam ',
  description: 'Tray 2',
  priority: 'high',
};

describe('planNewTicket', () => {
  it('creates the ticket for an existing contact, checked by the shared schema', () => {
    const plan = planNewTicket(base, ids());
    expect(plan).toEqual({
      ok: true,
      ticketId: '00000000-0000-4000-8000-000000000001',
      mutations: [
        {
          name: 'createTicket',
          args: {
            id: '00000000-0000-4000-8000-000000000001',
            subject: 'Printer jam',
            description: 'Tray 2',
            requesterId: '00000000-0000-4000-8000-0000000000aa',
            priority: 'high',
          },
        },
      ],
    });
  });

  it('creates the new contact first, and the ticket for it', () => {
    const plan = planNewTicket(
      { ...base, requester: { kind: 'new', name: 'Dana W', email: 'dana@example.test' } },
      ids(),
    );
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.mutations.map((m) => m.name)).toEqual(['createContact', 'createTicket']);
    expect(plan.mutations[0]!.args).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Dana W',
      email: 'dana@example.test',
    });
    expect(plan.mutations[1]!.args.requesterId).toBe('00000000-0000-4000-8000-000000000001');
    expect(plan.ticketId).toBe('00000000-0000-4000-8000-000000000002');
  });

  it('names the field in words when something is missing or wrong', () => {
    expect(planNewTicket({ ...base, subject: ' ' }, ids())).toEqual({
      ok: false,
      message: 'The subject must not be empty.',
    });
    expect(
      planNewTicket({ ...base, requester: { kind: 'new', name: 'Dana', email: 'nope' } }, ids()),
    ).toEqual({ ok: false, message: 'The contact’s email must be an email address.' });
    expect(
      planNewTicket({ ...base, requester: { kind: 'existing', contactId: null } }, ids()),
    ).toEqual({
      ok: false,
      message: 'Choose the requester, or create a new contact.',
    });
    const long = planNewTicket({ ...base, subject: 'x'.repeat(10_000) }, ids());
    expect(long).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^The subject may be at most \d+ characters\.$/),
    });
  });
});
