import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Comment, Ticket } from '../../../../src-shared/domain/entities';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
} from '../../../../src-shared/domain/enums';
import { namesField } from '../../../support/field-issues';
import { MemoryRows, runMutation } from '../../../support/memory-rows';
import {
  IDS,
  NOW,
  T0,
  adminCtx,
  agentCtx,
  ok,
  rejected,
  ticket,
  tenantRows,
} from '../../../support/mutator-fixtures';

const ticketOf = (rows: MemoryRows, id: string = IDS.ticket) => rows.get('ticket', id);

const newTicket = {
  id: IDS.fresh,
  subject: '  Cannot log in  ',
  description: 'Since Monday.',
  requesterId: IDS.contact,
};

describe('createTicket', () => {
  it('creates a new ticket with defaults, the creator and normalised tags', () => {
    const rows = tenantRows();
    const outcome = ok(
      runMutation(
        rows,
        'createTicket',
        { ...newTicket, tags: ['VPN', 'vpn', 'access', 'Access'] },
        agentCtx,
      ),
    );
    expect(outcome.conflicts).toEqual([]);
    expect(outcome.writes).toHaveLength(1);
    const created = ticketOf(rows, IDS.fresh)!;
    expect(created).toEqual({
      id: IDS.fresh,
      number: null,
      subject: 'Cannot log in',
      description: 'Since Monday.',
      status: 'new',
      priority: 'normal',
      type: null,
      requesterId: IDS.contact,
      assigneeId: null,
      tags: ['access', 'vpn'],
      createdBy: IDS.agent,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(Ticket.safeParse(created).success).toBe(true);
  });

  it('takes priority, type and an active assignee when given', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'createTicket',
        { ...newTicket, priority: 'urgent', type: 'problem', assigneeId: IDS.admin },
        agentCtx,
      ),
    );
    expect(ticketOf(rows, IDS.fresh)).toMatchObject({
      priority: 'urgent',
      type: 'problem',
      assigneeId: IDS.admin,
    });
  });

  it('rejects an id that exists with already_exists and writes nothing', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    const outcome = rejected(
      runMutation(rows, 'createTicket', { ...newTicket, id: IDS.ticket }, agentCtx),
    );
    expect(outcome.code).toBe('already_exists');
    expect(rows.snapshot()).toEqual(before);
  });

  it('rejects a missing requester, a user as requester and a missing or inactive assignee', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    for (const args of [
      { ...newTicket, requesterId: IDS.missing },
      { ...newTicket, requesterId: IDS.agent },
      { ...newTicket, assigneeId: IDS.missing },
      { ...newTicket, assigneeId: IDS.inactive },
      { ...newTicket, assigneeId: IDS.contact },
    ]) {
      expect(rejected(runMutation(rows, 'createTicket', args, agentCtx)).code).toBe('not_found');
    }
    expect(rows.snapshot()).toEqual(before);
  });

  it.each([
    ['a missing subject', { ...newTicket, subject: undefined }, 'subject'],
    ['a blank subject', { ...newTicket, subject: '   ' }, 'subject'],
    ['a subject over 200 characters', { ...newTicket, subject: 'x'.repeat(201) }, 'subject'],
    ['an id that is not a UUID', { ...newTicket, id: 'ticket-1' }, 'id'],
    ['an unknown priority', { ...newTicket, priority: 'asap' }, 'priority'],
    ['a tag with a space', { ...newTicket, tags: ['two words'] }, 'tags.0'],
    [
      'more than 50 tags',
      { ...newTicket, tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      'tags',
    ],
    ['a status (set by the service)', { ...newTicket, status: 'open' }, 'status'],
  ])('rejects %s with bad_request naming the field', (_what, args, path) => {
    const rows = tenantRows();
    const outcome = rejected(runMutation(rows, 'createTicket', args, agentCtx));
    expect(outcome.code).toBe('bad_request');
    expect(namesField(outcome.details, path), JSON.stringify(outcome.details)).toBe(true);
    expect(ticketOf(rows, IDS.fresh)).toBeNull();
  });
});

describe('setTicketFields', () => {
  it('writes the given fields, keeps the others and stamps updatedAt', () => {
    const rows = tenantRows();
    const outcome = ok(
      runMutation(
        rows,
        'setTicketFields',
        {
          ticketId: IDS.ticket,
          fields: { status: 'solved', priority: 'high', subject: ' New subject ' },
        },
        agentCtx,
      ),
    );
    expect(outcome.conflicts).toEqual([]);
    expect(ticketOf(rows)).toEqual(
      ticket({ status: 'solved', priority: 'high', subject: 'New subject', updatedAt: NOW }),
    );
  });

  it('assigns an active user and unassigns with null', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { assigneeId: IDS.admin } },
        agentCtx,
      ),
    );
    expect(ticketOf(rows)!.assigneeId).toBe(IDS.admin);
    ok(
      runMutation(
        rows,
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { assigneeId: null, type: null } },
        agentCtx,
      ),
    );
    expect(ticketOf(rows)).toMatchObject({ assigneeId: null, type: null });
  });

  it('rejects a missing ticket and a missing, inactive or non-user assignee with not_found', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    for (const args of [
      { ticketId: IDS.missing, fields: { status: 'open' } },
      { ticketId: IDS.ticket, fields: { assigneeId: IDS.missing } },
      { ticketId: IDS.ticket, fields: { assigneeId: IDS.inactive, status: 'open' } },
      { ticketId: IDS.ticket, fields: { assigneeId: IDS.contact } },
    ]) {
      expect(rejected(runMutation(rows, 'setTicketFields', args, agentCtx)).code).toBe('not_found');
    }
    expect(rows.snapshot()).toEqual(before);
  });

  it.each([
    ['no fields', { ticketId: IDS.ticket, fields: {} }, 'fields'],
    ['an unknown field', { ticketId: IDS.ticket, fields: { tags: ['a'] } }, 'fields.tags'],
    [
      'an unknown top-level member',
      { ticketId: IDS.ticket, fields: { status: 'open' }, force: true },
      'force',
    ],
    ['an unknown status', { ticketId: IDS.ticket, fields: { status: 'done' } }, 'fields.status'],
    ['a blank subject', { ticketId: IDS.ticket, fields: { subject: ' ' } }, 'fields.subject'],
    ['a ticket id that is not a UUID', { ticketId: 42, fields: { status: 'open' } }, 'ticketId'],
  ])('rejects %s with bad_request', (_what, args, path) => {
    const outcome = rejected(runMutation(tenantRows(), 'setTicketFields', args, agentCtx));
    expect(outcome.code).toBe('bad_request');
    expect(namesField(outcome.details, path), JSON.stringify(outcome.details)).toBe(true);
  });

  it('reports a conflict when the server moved away from base, and writes the other fields', () => {
    const rows = tenantRows(); // status is 'pending' on the server
    const outcome = ok(
      runMutation(
        rows,
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: 'solved', priority: 'urgent' } },
        agentCtx,
        { status: 'open', priority: 'normal' },
      ),
    );
    expect(outcome.conflicts).toEqual([{ field: 'status', server: 'pending', mine: 'solved' }]);
    expect(ticketOf(rows)).toMatchObject({ status: 'pending', priority: 'urgent', updatedAt: NOW });
  });

  it('writes nothing when every field conflicts', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    const outcome = ok(
      runMutation(
        rows,
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: 'solved' } },
        agentCtx,
        {
          status: 'open',
        },
      ),
    );
    expect(outcome.writes).toEqual([]);
    expect(outcome.conflicts).toHaveLength(1);
    expect(rows.snapshot()).toEqual(before);
  });

  it('sees no conflict when the server already holds my value, whatever base says', () => {
    const rows = tenantRows();
    const outcome = ok(
      runMutation(
        rows,
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: 'pending' } },
        agentCtx,
        {
          status: 'open',
        },
      ),
    );
    expect(outcome).toEqual({ ok: true, writes: [], conflicts: [] });
  });

  it('writes when base equals the server, and ignores base keys of fields it does not set', () => {
    const rows = tenantRows();
    const outcome = ok(
      runMutation(
        rows,
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { status: 'open' } },
        agentCtx,
        {
          status: 'pending',
          priority: 'low',
          subject: 'something else',
        },
      ),
    );
    expect(outcome.conflicts).toEqual([]);
    expect(ticketOf(rows)).toMatchObject({
      status: 'open',
      priority: 'normal',
      subject: 'Printer on fire',
    });
  });

  it('compares an assignee base of null with the server value', () => {
    const rows = tenantRows(); // assigned to the agent
    const outcome = ok(
      runMutation(
        rows,
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { assigneeId: IDS.admin } },
        agentCtx,
        {
          assigneeId: null,
        },
      ),
    );
    expect(outcome.conflicts).toEqual([
      { field: 'assigneeId', server: IDS.agent, mine: IDS.admin },
    ]);
    expect(ticketOf(rows)!.assigneeId).toBe(IDS.agent);
  });

  const fieldsArb = fc
    .record(
      {
        status: fc.constantFrom(...TICKET_STATUSES),
        priority: fc.constantFrom(...TICKET_PRIORITIES),
        type: fc.constantFrom(null, ...TICKET_TYPES),
        assigneeId: fc.constantFrom(null, IDS.agent, IDS.admin),
        subject: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
      },
      { requiredKeys: [] },
    )
    .filter((fields) => Object.keys(fields).length > 0);

  it('is idempotent: applying the same mutation twice leaves the state of the first time', () => {
    fc.assert(
      fc.property(
        fieldsArb,
        fc.option(fieldsArb, { nil: undefined }),
        fc.constantFrom(...TICKET_STATUSES),
        (fields, base, serverStatus) => {
          const rows = tenantRows();
          rows.put('ticket', ticket({ status: serverStatus }));
          const args = { ticketId: IDS.ticket, fields };
          const first = ok(runMutation(rows, 'setTicketFields', args, agentCtx, base));
          const afterFirst = rows.snapshot();
          const second = ok(runMutation(rows, 'setTicketFields', args, agentCtx, base));
          expect(rows.snapshot()).toEqual(afterFirst);
          expect(second.writes).toEqual([]);
          expect(second.conflicts).toEqual(first.conflicts);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('addTags and removeTags', () => {
  it('adds tags lower-cased, sorted and unique', () => {
    const rows = tenantRows(); // ['hardware', 'urgent']
    ok(
      runMutation(
        rows,
        'addTags',
        { ticketId: IDS.ticket, tags: ['Zeta', 'alpha', 'ALPHA', ' urgent '] },
        agentCtx,
      ),
    );
    expect(ticketOf(rows)).toMatchObject({
      tags: ['alpha', 'hardware', 'urgent', 'zeta'],
      updatedAt: NOW,
    });
  });

  it('removes tags whatever their case', () => {
    const rows = tenantRows();
    ok(
      runMutation(
        rows,
        'removeTags',
        { ticketId: IDS.ticket, tags: ['URGENT', 'absent'] },
        agentCtx,
      ),
    );
    expect(ticketOf(rows)).toMatchObject({ tags: ['hardware'], updatedAt: NOW });
  });

  it('writes nothing when the tags do not change', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    expect(
      ok(runMutation(rows, 'addTags', { ticketId: IDS.ticket, tags: ['Hardware'] }, agentCtx))
        .writes,
    ).toEqual([]);
    expect(
      ok(runMutation(rows, 'removeTags', { ticketId: IDS.ticket, tags: ['absent'] }, agentCtx))
        .writes,
    ).toEqual([]);
    expect(rows.snapshot()).toEqual(before);
  });

  it.each(['addTags', 'removeTags'])('%s rejects a missing ticket and bad tags', (name) => {
    const rows = tenantRows();
    expect(
      rejected(runMutation(rows, name, { ticketId: IDS.missing, tags: ['a'] }, agentCtx)).code,
    ).toBe('not_found');
    for (const args of [
      { ticketId: IDS.ticket, tags: [] },
      { ticketId: IDS.ticket, tags: ['with space'] },
      { ticketId: IDS.ticket, tags: ['x'.repeat(41)] },
      { ticketId: IDS.ticket, tags: 'single' },
      { ticketId: IDS.ticket, tags: ['a'], extra: 1 },
    ]) {
      expect(rejected(runMutation(rows, name, args, agentCtx)).code).toBe('bad_request');
    }
  });

  const tagArb = fc.stringMatching(/^[a-z0-9][a-z0-9_.:/-]{0,11}$/);
  const shout = (tags: string[], upper: boolean[]) =>
    tags.map((t, i) => (upper[i % upper.length] ? t.toUpperCase() : t));

  it('commutes: adds and removes of disjoint tag sets give the same tags in any order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(tagArb, { maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.uniqueArray(tagArb, { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.uniqueArray(tagArb, { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.infiniteStream(fc.nat()),
        (initial, upper, adds, removesRaw, order) => {
          const added = new Set(adds.flat());
          const removes = removesRaw
            .map((set) => set.filter((t) => !added.has(t)))
            .filter((set) => set.length);
          const ops = [
            ...adds.map((tags) => ({ name: 'addTags', tags })),
            ...removes.map((tags) => ({ name: 'removeTags', tags })),
          ];
          const removed = new Set(removes.flat());
          const expected = [...new Set([...initial, ...added])]
            .filter((t) => !removed.has(t))
            .sort();

          const finalTags = (sequence: typeof ops) => {
            const rows = tenantRows();
            rows.put('ticket', ticket({ tags: [...initial].sort() }));
            for (const op of sequence) {
              ok(
                runMutation(
                  rows,
                  op.name,
                  { ticketId: IDS.ticket, tags: shout(op.tags, upper) },
                  agentCtx,
                ),
              );
            }
            return ticketOf(rows)!.tags;
          };
          const shuffled = [...ops];
          const picks = order.take(shuffled.length);
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (picks.next().value as number) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(finalTags(ops)).toEqual(expected);
          expect(finalTags(shuffled)).toEqual(expected);
          expect(finalTags([...ops].reverse())).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('addComment', () => {
  const args = { id: IDS.fresh, ticketId: IDS.ticket, body: '  Rebooted it.  ', public: false };

  it('adds the comment by the signed-in user and touches the ticket', () => {
    const rows = tenantRows();
    const outcome = ok(runMutation(rows, 'addComment', args, agentCtx));
    expect(outcome.writes.map((w) => `${w.entity}:${w.op}`)).toEqual([
      'comment:upsert',
      'ticket:upsert',
    ]);
    const added = rows.get('comment', IDS.fresh);
    expect(added).toEqual({
      id: IDS.fresh,
      ticketId: IDS.ticket,
      authorId: IDS.agent,
      body: 'Rebooted it.',
      public: false,
      createdAt: NOW,
    });
    expect(Comment.safeParse(added).success).toBe(true);
    expect(ticketOf(rows)).toEqual(ticket({ updatedAt: NOW }));
  });

  it('rejects an existing comment id, a missing ticket and bad args', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    expect(
      rejected(runMutation(rows, 'addComment', { ...args, id: IDS.comment }, agentCtx)).code,
    ).toBe('already_exists');
    expect(
      rejected(runMutation(rows, 'addComment', { ...args, ticketId: IDS.missing }, agentCtx)).code,
    ).toBe('not_found');
    for (const bad of [
      { ...args, body: '   ' },
      { ...args, body: 'x'.repeat(64 * 1024 + 1) },
      { ...args, public: 'yes' },
      { id: args.id, ticketId: args.ticketId, body: 'no flag' },
      { ...args, authorId: IDS.admin },
    ]) {
      expect(rejected(runMutation(rows, 'addComment', bad, agentCtx)).code).toBe('bad_request');
    }
    expect(rows.snapshot()).toEqual(before);
  });
});

describe('deleteTicket', () => {
  it('lets an admin delete a ticket (storage cascades to its comments and attachments)', () => {
    const rows = tenantRows();
    const outcome = ok(runMutation(rows, 'deleteTicket', { ticketId: IDS.ticket }, adminCtx));
    expect(outcome.writes).toEqual([{ entity: 'ticket', id: IDS.ticket, op: 'delete' }]);
    expect(ticketOf(rows)).toBeNull();
    expect(rows.get('comment', IDS.comment)).toBeNull();
    expect(rows.get('attachment', IDS.attachment)).toBeNull();
    expect(rows.get('macro', IDS.macro)).not.toBeNull();
  });

  it('is forbidden to agents and writes nothing', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    expect(
      rejected(runMutation(rows, 'deleteTicket', { ticketId: IDS.ticket }, agentCtx)).code,
    ).toBe('forbidden');
    expect(rows.snapshot()).toEqual(before);
  });

  it('rejects a missing ticket and bad args', () => {
    const rows = tenantRows();
    expect(
      rejected(runMutation(rows, 'deleteTicket', { ticketId: IDS.missing }, adminCtx)).code,
    ).toBe('not_found');
    expect(
      rejected(runMutation(rows, 'deleteTicket', { ticketId: IDS.ticket, hard: true }, adminCtx))
        .code,
    ).toBe('bad_request');
    expect(rejected(runMutation(rows, 'deleteTicket', {}, adminCtx)).code).toBe('bad_request');
    expect(ticketOf(rows)).not.toBeNull();
  });
});

it('never changes createdAt, createdBy or number of an existing ticket', () => {
  const rows = tenantRows();
  for (const [name, args] of [
    ['setTicketFields', { ticketId: IDS.ticket, fields: { status: 'closed' } }],
    ['addTags', { ticketId: IDS.ticket, tags: ['x'] }],
    ['removeTags', { ticketId: IDS.ticket, tags: ['hardware'] }],
    ['addComment', { id: IDS.fresh, ticketId: IDS.ticket, body: 'hi', public: true }],
  ] as const) {
    ok(runMutation(rows, name, args, adminCtx));
  }
  expect(ticketOf(rows)).toMatchObject({ createdAt: T0, createdBy: IDS.agent, number: 7 });
});
