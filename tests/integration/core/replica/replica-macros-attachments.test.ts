import { afterEach, describe, expect, it } from 'vitest';
import type { Attachment, Macro } from '../../../../src-shared/domain/entities';
import { planMacro } from '../../../../src-main/core/replica/macro-plan';
import { LocalMutationError } from '../../../../src-main/core/replica/replica';
import {
  IDS,
  NOW,
  T0,
  adminIdentity,
  newId,
  removeTempDirs,
  seededReplica,
  type TestReplica,
} from './replica-fixtures';

/**
 * The replica with the entities of issue 7: a macro applied offline is queued as one transaction
 * (all its mutations or none), and attachments are listed under their ticket and go with it.
 */

afterEach(removeTempDirs);

const MACRO_ID = '10000000-0000-4000-8000-0000000000e1';

function macro(overrides: Partial<Macro> = {}): Macro {
  return {
    id: MACRO_ID,
    title: 'Escalate',
    actions: { priority: 'urgent', addTags: ['escalated'] },
    reply: {
      body: 'Hi {{requester.firstName}}, {{agent.name}} here about #{{ticket.number}}.',
      public: true,
    },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function withMacro(value: Macro): TestReplica {
  const t = seededReplica();
  t.replica.applyPullPage(t.pages.page([t.pages.upsert('macro', value)]));
  return t;
}

const apply = (t: TestReplica, ticketId: string = IDS.ticket, macroId: string = MACRO_ID) =>
  t.replica.mutateAll(
    (rows) =>
      planMacro(rows, {
        ticketId,
        macroId,
        agent: { id: IDS.agent, name: 'Session Name' },
        newId,
      }),
    NOW,
  );

const outboxNames = (t: TestReplica) =>
  t.replica.db.prepare('SELECT name FROM outbox ORDER BY id').pluck().all();

describe('applying a macro', () => {
  it('queues every mutation it plans, in order, and the view shows them at once', () => {
    const t = withMacro(macro());
    const { mutationIds } = apply(t);
    expect(mutationIds).toEqual([1, 2, 3]);
    expect(outboxNames(t)).toEqual(['setTicketFields', 'addTags', 'addComment']);
    expect(t.replica.ticket(IDS.ticket)).toMatchObject({
      priority: 'urgent',
      tags: ['escalated', 'hardware', 'printer'],
      pending: true,
    });
    // The agent's own user row names them, not the session's copy.
    expect(t.replica.projection.commentsOf(IDS.ticket).at(-1)).toMatchObject({
      body: 'Hi Wile, Agent Smith here about #7.',
      authorId: IDS.agent,
    });
  });

  it('queues nothing when one of its mutations is refused', () => {
    // The reply (last) reuses a comment's id: the field and tag changes before it go too.
    const t = withMacro(macro());
    const before = t.replica.ticket(IDS.ticket);
    expect(() =>
      t.replica.mutateAll(
        (rows) =>
          planMacro(rows, {
            ticketId: IDS.ticket,
            macroId: MACRO_ID,
            agent: { id: IDS.agent, name: 'Agent Smith' },
            newId: () => IDS.comment,
          }),
        NOW,
      ),
    ).toThrow(expect.objectContaining({ code: 'already_exists' }));
    expect(outboxNames(t)).toEqual([]);
    expect(t.replica.ticket(IDS.ticket)).toEqual(before);
    expect(t.replica.projection.commentsOf(IDS.ticket)).toHaveLength(1);
    // The numbering has no gap: the next change is 1.
    expect(t.replica.mutate('addTags', { ticketId: IDS.ticket, tags: ['x'] }, NOW)).toEqual({
      mutationId: 1,
    });
  });

  it('answers not_found for a missing ticket or macro', () => {
    const t = withMacro(macro());
    for (const [ticketId, macroId, message] of [
      [IDS.missing, MACRO_ID, 'No such ticket.'],
      [IDS.ticket, IDS.missing, 'No such macro.'],
    ] as const) {
      let error: unknown;
      try {
        apply(t, ticketId, macroId);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(LocalMutationError);
      expect(error).toMatchObject({ code: 'not_found', message });
    }
    expect(outboxNames(t)).toEqual([]);
  });

  it('lets an admin save and delete macros offline, and an agent neither', () => {
    const admin = seededReplica(adminIdentity);
    const args = { id: MACRO_ID, title: 'Close', actions: { status: 'solved' }, reply: null };
    admin.replica.mutate('saveMacro', args, NOW);
    expect(admin.replica.all('macro')).toEqual([{ ...args, createdAt: NOW, updatedAt: NOW }]);
    admin.replica.mutate('deleteMacro', { macroId: MACRO_ID }, NOW);
    expect(admin.replica.all('macro')).toEqual([]);

    const agent = seededReplica();
    expect(() => agent.replica.mutate('saveMacro', args, NOW)).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(outboxNames(agent)).toEqual([]);
  });
});

describe('attachments in the replica', () => {
  const attachment = (overrides: Partial<Attachment>): Attachment => ({
    id: newId(),
    ticketId: IDS.ticket,
    commentId: null,
    name: 'photo.jpg',
    size: 10,
    contentType: 'image/jpeg',
    sha256: 'b'.repeat(64),
    createdBy: IDS.agent,
    createdAt: T0,
    ...overrides,
  });

  it('lists a ticket’s attachments oldest first, and drops them with the ticket deleted offline', () => {
    const t = seededReplica(adminIdentity);
    const later = attachment({ createdAt: NOW, name: 'later.pdf' });
    const first = attachment({ name: 'first.png' });
    const elsewhere = attachment({ ticketId: IDS.ticket2 });
    t.replica.applyPullPage(
      t.pages.page([later, first, elsewhere].map((a) => t.pages.upsert('attachment', a))),
    );
    expect(t.replica.projection.attachmentsOf(IDS.ticket)).toEqual([first, later]);
    expect(t.replica.projection.attachmentsOf(IDS.ticket2)).toEqual([elsewhere]);

    t.replica.mutate('deleteTicket', { ticketId: IDS.ticket }, NOW);
    expect(t.replica.projection.attachmentsOf(IDS.ticket)).toEqual([]);
    expect(t.replica.reader().get('attachment', first.id)).toBeNull();
    expect(t.replica.projection.commentsOf(IDS.ticket)).toEqual([]);
    expect(t.replica.projection.attachmentsOf(IDS.ticket2)).toEqual([elsewhere]);
  });
});
