import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, Macro, type Contact, type Ticket } from '../../../../src-shared/domain/entities';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
} from '../../../../src-shared/domain/enums';
import {
  expandMacro,
  fillPlaceholders,
  PENDING_NUMBER,
  UNKNOWN_REQUESTER,
  type MacroMutation,
} from '../../../../src-shared/mutators/macro-expansion';
import { MUTATORS } from '../../../../src-shared/mutators/registry';
import { runMutation } from '../../../support/memory-rows';
import {
  IDS,
  agentCtx,
  contact,
  macro,
  ok,
  tenantRows,
  ticket,
} from '../../../support/mutator-fixtures';

const agent = { id: IDS.agent, name: 'Agent  Smith' };
const newId = () => IDS.fresh;
const target = (overrides: Partial<Ticket> = {}, requester: Contact | null = contact) => ({
  ticket: ticket(overrides),
  requester,
  agent,
  newId,
});

describe('expandMacro', () => {
  it('plans the fields, tags and reply of a macro, in that order', () => {
    const escalate = macro({
      actions: {
        status: 'open',
        priority: 'urgent',
        type: 'problem',
        assignee: IDS.admin,
        addTags: ['escalated'],
        removeTags: ['hardware'],
      },
      reply: { body: 'Dear {{requester.name}}, {{agent.firstName}} here.', public: true },
    });
    expect(expandMacro(escalate, target())).toEqual([
      {
        name: 'setTicketFields',
        args: {
          ticketId: IDS.ticket,
          fields: { status: 'open', priority: 'urgent', type: 'problem', assigneeId: IDS.admin },
        },
      },
      { name: 'addTags', args: { ticketId: IDS.ticket, tags: ['escalated'] } },
      { name: 'removeTags', args: { ticketId: IDS.ticket, tags: ['hardware'] } },
      {
        name: 'addComment',
        args: {
          id: IDS.fresh,
          ticketId: IDS.ticket,
          body: 'Dear Wile E. Coyote, Agent here.',
          public: true,
        },
      },
    ]);
  });

  it('leaves out what the ticket already has', () => {
    // The fixture ticket: pending, normal, incident, assigned to the agent, tags hardware+urgent.
    const same = macro({
      actions: {
        status: 'pending',
        priority: 'high',
        type: 'incident',
        assignee: 'me',
        addTags: ['urgent', 'new-tag'],
        removeTags: ['not-there', 'hardware'],
      },
      reply: null,
    });
    expect(expandMacro(same, target())).toEqual([
      { name: 'setTicketFields', args: { ticketId: IDS.ticket, fields: { priority: 'high' } } },
      { name: 'addTags', args: { ticketId: IDS.ticket, tags: ['new-tag'] } },
      { name: 'removeTags', args: { ticketId: IDS.ticket, tags: ['hardware'] } },
    ]);
    const nothingNew = macro({
      actions: { status: 'pending', assignee: 'me', addTags: ['urgent'], removeTags: ['gone'] },
      reply: null,
    });
    let ids = 0;
    expect(expandMacro(nothingNew, { ...target(), newId: () => String(++ids) })).toEqual([]);
    expect(ids).toBe(0);
  });

  it("assigns to whoever applies it ('me'), to a user, or to nobody (null)", () => {
    const assign = (assignee: string | null, assigneeId: string | null) =>
      expandMacro(macro({ actions: { assignee }, reply: null }), target({ assigneeId }));
    expect(assign('me', null)).toEqual([
      {
        name: 'setTicketFields',
        args: { ticketId: IDS.ticket, fields: { assigneeId: IDS.agent } },
      },
    ]);
    expect(assign(null, IDS.agent)).toEqual([
      { name: 'setTicketFields', args: { ticketId: IDS.ticket, fields: { assigneeId: null } } },
    ]);
    expect(assign(null, null)).toEqual([]);
    expect(assign(IDS.admin, IDS.admin)).toEqual([]);
    // Left out: the assignee stays as it is.
    expect(expandMacro(macro({ actions: {}, reply: null }), target())).toEqual([]);
  });

  it('brings the ticket to what the macro says when its mutations run, and the second time only replies', () => {
    const rows = tenantRows();
    const escalate = macro({
      actions: { status: 'open', assignee: 'me', addTags: ['escalated'], removeTags: ['urgent'] },
    });
    const run = () => {
      const current = rows.get('ticket', IDS.ticket)!;
      const planned = expandMacro(escalate, { ...target(), ticket: current });
      for (const m of planned) ok(runMutation(rows, m.name, m.args, agentCtx));
      return planned.map((m) => m.name);
    };
    expect(run()).toEqual(['setTicketFields', 'addTags', 'removeTags', 'addComment']);
    expect(rows.get('ticket', IDS.ticket)).toMatchObject({
      status: 'open',
      assigneeId: IDS.agent,
      tags: ['escalated', 'hardware'],
    });
    expect(rows.get('comment', IDS.fresh)).toMatchObject({
      body: 'Hi Wile, could you send a photo?',
      public: true,
      authorId: IDS.agent,
    });
    rows.rows.delete(`comment:${IDS.fresh}`);
    expect(run()).toEqual(['addComment']);
  });
});

describe('fillPlaceholders', () => {
  const fill = (
    body: string,
    overrides: Partial<Ticket> = {},
    requester: Contact | null = contact,
  ) => fillPlaceholders(body, target(overrides, requester));

  it('fills each placeholder, as often as it appears', () => {
    expect(
      fill(
        '{{requester.firstName}}/{{requester.name}}/{{agent.firstName}}/{{agent.name}}/' +
          '{{ticket.number}}/{{ticket.subject}}/{{ticket.number}}',
      ),
    ).toBe('Wile/Wile E. Coyote/Agent/Agent  Smith/7/Printer on fire/7');
  });

  it('tolerates spaces inside the braces and leaves unknown placeholders as written', () => {
    expect(
      fill('{{ requester.firstName }} {{requester.email}} {{agent}} {{ticket.Number}} {x}'),
    ).toBe('Wile {{requester.email}} {{agent}} {{ticket.Number}} {x}');
  });

  it(`says "${UNKNOWN_REQUESTER}" for a requester this replica lacks, and "${PENDING_NUMBER}" for a ticket not numbered yet`, () => {
    expect(
      fill(
        'Hi {{requester.firstName}} ({{requester.name}}), re #{{ticket.number}}',
        { number: null },
        null,
      ),
    ).toBe(`Hi ${UNKNOWN_REQUESTER} (${UNKNOWN_REQUESTER}), re #${PENDING_NUMBER}`);
  });

  it('inserts values as written, even ones that look like replacement patterns', () => {
    expect(fill('Re: {{ticket.subject}}', { subject: "$& costs $1 and $'" })).toBe(
      "Re: $& costs $1 and $'",
    );
  });
});

/** Macros as an admin could save them: each member present or not. */
const tagArb = fc.stringMatching(/^[a-z0-9][a-z0-9_.:/-]{0,11}$/);
const macroArb = fc
  .record({
    actions: fc.record(
      {
        status: fc.constantFrom(...TICKET_STATUSES),
        priority: fc.constantFrom(...TICKET_PRIORITIES),
        type: fc.constantFrom(null, ...TICKET_TYPES),
        assignee: fc.constantFrom('me', null, IDS.agent, IDS.admin),
        addTags: fc.uniqueArray(tagArb, { maxLength: 5 }),
        removeTags: fc.uniqueArray(tagArb, { maxLength: 5 }),
      },
      { requiredKeys: [] },
    ),
    reply: fc.option(
      fc.record({
        body: fc
          .array(
            fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.constantFrom(
                '{{requester.firstName}}',
                '{{requester.name}}',
                '{{agent.firstName}}',
                '{{agent.name}}',
                '{{ticket.number}}',
                '{{ticket.subject}}',
                '{{ticket.nope}}',
                '{{',
              ),
            ),
            { maxLength: 30 },
          )
          .map((parts) => `x${parts.join('')}`),
        public: fc.boolean(),
      }),
      { nil: null },
    ),
  })
  .map((m) => Macro.parse({ ...macro(), ...m }));

const ticketArb = fc.record({
  status: fc.constantFrom(...TICKET_STATUSES),
  priority: fc.constantFrom(...TICKET_PRIORITIES),
  type: fc.constantFrom(null, ...TICKET_TYPES),
  assigneeId: fc.constantFrom(null, IDS.agent, IDS.admin),
  tags: fc.uniqueArray(tagArb, { maxLength: 6 }).map((tags) => [...tags].sort()),
  number: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }),
  subject: fc.string({ minLength: 1, maxLength: LIMITS.subject }).filter((s) => s.trim() !== ''),
});

const argsParse = (m: MacroMutation) => MUTATORS[m.name].args.safeParse(m.args).success;

it('never throws, and every mutation it plans is valid and applies (property)', () => {
  fc.assert(
    fc.property(
      macroArb,
      ticketArb,
      fc.option(
        fc.string({ minLength: 1, maxLength: LIMITS.name }).filter((s) => s.trim() !== ''),
        {
          nil: null,
        },
      ),
      (saved, state, requesterName) => {
        const requester =
          requesterName === null ? null : { ...contact, name: requesterName.trim() };
        const planned = expandMacro(saved, target(state, requester));
        expect(planned.every(argsParse)).toBe(true);
        const rows = tenantRows();
        rows.put('ticket', ticket(state));
        for (const m of planned) ok(runMutation(rows, m.name, m.args, agentCtx));
      },
    ),
    { numRuns: 300 },
  );
});

it('fits the longest reply, every placeholder filled at its longest, in one comment', () => {
  const placeholder = '{{ticket.subject}}';
  const body = placeholder.repeat(Math.floor(LIMITS.macroReply / placeholder.length));
  const saved = Macro.parse({ ...macro(), actions: {}, reply: { body, public: true } });
  const [reply] = expandMacro(saved, target({ subject: 'x'.repeat(LIMITS.subject) }));
  expect(reply!.name).toBe('addComment');
  expect((reply!.args as { body: string }).body.length).toBeGreaterThan(50_000);
  expect(argsParse(reply!)).toBe(true);
});
