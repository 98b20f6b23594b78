import { describe, expect, it } from 'vitest';
import {
  CASCADE_DELETES,
  MUTATION_NAMES,
  MUTATORS,
  isMutationName,
  parentOf,
  prepareMutation,
} from '../../../../src-shared/mutators/registry';
import { IDS, adminCtx, agentCtx, tenantRows } from '../../../support/mutator-fixtures';

/** Valid args for every mutation of v1, against the rows of tenantRows(). */
const VALID_ARGS: Record<string, unknown> = {
  noop: {},
  createTicket: { id: IDS.fresh, subject: 'S', description: '', requesterId: IDS.contact },
  setTicketFields: { ticketId: IDS.ticket, fields: { status: 'open' } },
  addTags: { ticketId: IDS.ticket, tags: ['x'] },
  removeTags: { ticketId: IDS.ticket, tags: ['hardware'] },
  addComment: { id: IDS.fresh, ticketId: IDS.ticket, body: 'b', public: true },
  createContact: { id: IDS.fresh, name: 'N' },
  updateProfile: { fields: { name: 'N' } },
  setCommunicationPreferences: { newsletter: true, productUpdates: false },
  updateCompany: { fields: { seats: 3 } },
  deleteTicket: { ticketId: IDS.ticket },
  saveMacro: {
    id: IDS.fresh,
    title: 'Close',
    actions: { status: 'solved' },
    reply: null,
  },
  deleteMacro: { macroId: IDS.macro },
};

describe('the mutation registry', () => {
  it('holds exactly the mutations of protocol v1', () => {
    expect([...MUTATION_NAMES].sort()).toEqual(Object.keys(VALID_ARGS).sort());
  });

  it('does not take Object.prototype members for mutation names', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '']) {
      expect(isMutationName(name)).toBe(false);
      const outcome = prepareMutation(name, {}, adminCtx);
      expect(outcome).toMatchObject({ ok: false, code: 'bad_request' });
    }
  });

  it('rejects args holding NUL or an unpaired surrogate, naming the field (protocol text)', () => {
    for (const [name, args, path] of [
      ['createContact', { id: IDS.fresh, name: 'a\u0000b' }, 'name'],
      ['addComment', { ...(VALID_ARGS.addComment as object), body: 'x \ud800 y' }, 'body'],
      [
        'setTicketFields',
        { ticketId: IDS.ticket, fields: { subject: '\udfff' } },
        'fields.subject',
      ],
      ['updateProfile', { fields: { title: 'Boss\u0000' } }, 'fields.title'],
    ] as const) {
      const outcome = prepareMutation(name, args, adminCtx);
      expect(outcome, name).toMatchObject({
        ok: false,
        code: 'bad_request',
        details: [{ path, message: expect.stringMatching(/NUL|Unicode/) }],
      });
    }
    // A surrogate pair is one character (an emoji), not an unpaired half.
    expect(prepareMutation('createContact', { id: IDS.fresh, name: 'a 😀' }, adminCtx).ok).toBe(
      true,
    );
  });

  it('answers an unknown name with bad_request naming it', () => {
    expect(prepareMutation('closeAllTickets', {}, adminCtx)).toEqual({
      ok: false,
      code: 'bad_request',
      message: 'unknown mutation "closeAllTickets"',
    });
  });

  it.each(MUTATION_NAMES)('%s accepts its valid args and applies them', (name) => {
    const ctx = (MUTATORS[name] as { adminOnly?: boolean }).adminOnly ? adminCtx : agentCtx;
    const prepared = prepareMutation(name, VALID_ARGS[name], ctx);
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    const outcome = prepared.mutation.run(tenantRows(), undefined);
    expect(outcome.ok).toBe(true);
  });

  it.each(MUTATION_NAMES)('%s rejects args that are not an object, and unknown members', (name) => {
    for (const args of [
      null,
      'x',
      42,
      [],
      undefined,
      { ...(VALID_ARGS[name] as object), unexpected: 1 },
    ]) {
      const prepared = prepareMutation(name, args, adminCtx);
      expect(prepared).toMatchObject({
        ok: false,
        code: 'bad_request',
        message: `invalid args for ${name}`,
      });
      if (!prepared.ok) expect(prepared.details?.length).toBeGreaterThan(0);
    }
  });

  it('keeps company, ticket deletion and macros for admins; agents may run every other mutation', () => {
    const adminOnly = MUTATION_NAMES.filter(
      (name) => !prepareMutation(name, VALID_ARGS[name], agentCtx).ok,
    );
    expect(adminOnly.sort()).toEqual(['deleteMacro', 'deleteTicket', 'saveMacro', 'updateCompany']);
    for (const name of adminOnly) {
      expect(prepareMutation(name, VALID_ARGS[name], agentCtx)).toEqual({
        ok: false,
        code: 'forbidden',
        message: `${name} is for admins only`,
      });
      expect((MUTATORS[name] as { adminOnly?: boolean }).adminOnly).toBe(true);
    }
  });

  it('declares the rows each mutation reads', () => {
    const reads = (name: string) => {
      const prepared = prepareMutation(name, VALID_ARGS[name], adminCtx);
      return prepared.ok ? prepared.mutation.reads : null;
    };
    expect(reads('noop')).toEqual([]);
    expect(reads('deleteTicket')).toEqual([{ entity: 'ticket', id: IDS.ticket }]);
    expect(reads('updateCompany')).toEqual([{ entity: 'company', id: IDS.tenant }]);
    expect(reads('updateProfile')).toEqual([
      { entity: 'profile', id: IDS.admin },
      { entity: 'user', id: IDS.admin },
    ]);
  });

  it('applies noop without writing anything', () => {
    const prepared = prepareMutation('noop', {}, agentCtx);
    if (!prepared.ok) throw new Error('noop rejected');
    expect(prepared.mutation.run(tenantRows(), undefined)).toEqual({
      ok: true,
      writes: [],
      conflicts: [],
    });
  });

  it('cascades a ticket delete to its comments and attachments', () => {
    expect(CASCADE_DELETES).toEqual({
      ticket: [
        { entity: 'comment', parentField: 'ticketId' },
        { entity: 'attachment', parentField: 'ticketId' },
      ],
    });
  });

  it('stores comments and attachments under their ticket, and nothing else under a parent', () => {
    expect(parentOf('comment', { ticketId: IDS.ticket })).toBe(IDS.ticket);
    expect(parentOf('attachment', { ticketId: IDS.ticket, commentId: IDS.comment })).toBe(
      IDS.ticket,
    );
    expect(parentOf('macro', { ticketId: IDS.ticket })).toBeNull();
    expect(parentOf('ticket', { id: IDS.ticket })).toBeNull();
    expect(parentOf('comment', { ticketId: 42 })).toBeNull();
  });
});
