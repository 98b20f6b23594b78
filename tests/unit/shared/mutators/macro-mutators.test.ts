import { describe, expect, it } from 'vitest';
import { LIMITS, Macro } from '../../../../src-shared/domain/entities';
import { prepareMutation } from '../../../../src-shared/mutators/registry';
import { namesField } from '../../../support/field-issues';
import { runMutation } from '../../../support/memory-rows';
import {
  IDS,
  NOW,
  T0,
  adminCtx,
  agentCtx,
  macro,
  ok,
  rejected,
  tenantRows,
} from '../../../support/mutator-fixtures';

const saveArgs = {
  id: IDS.fresh,
  title: ' Escalate ',
  actions: {
    priority: 'urgent',
    assignee: 'me',
    addTags: ['Escalated', 'escalated'],
    removeTags: ['hardware'],
  },
  reply: { body: 'Hi {{requester.firstName}}, we are on it.', public: false },
};

describe('saveMacro', () => {
  it('creates a macro, tag lists as sets, that every replica can read back', () => {
    const rows = tenantRows();
    const outcome = ok(runMutation(rows, 'saveMacro', saveArgs, adminCtx));
    expect(outcome.writes).toHaveLength(1);
    const saved = rows.get('macro', IDS.fresh);
    expect(saved).toEqual({
      id: IDS.fresh,
      title: 'Escalate',
      actions: {
        priority: 'urgent',
        assignee: 'me',
        addTags: ['escalated'],
        removeTags: ['hardware'],
      },
      reply: { body: 'Hi {{requester.firstName}}, we are on it.', public: false },
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(Macro.parse(saved)).toEqual(saved);
  });

  it('replaces a macro by id, keeping when it was created', () => {
    const rows = tenantRows();
    const args = { id: IDS.macro, title: 'Only a note', actions: {}, reply: null };
    ok(runMutation(rows, 'saveMacro', args, adminCtx));
    expect(rows.get('macro', IDS.macro)).toEqual({
      ...args,
      createdAt: T0,
      updatedAt: NOW,
    });
  });

  it('is for admins only, and an agent writes nothing', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    expect(rejected(runMutation(rows, 'saveMacro', saveArgs, agentCtx))).toMatchObject({
      code: 'forbidden',
      message: 'saveMacro is for admins only',
    });
    expect(rows.snapshot()).toEqual(before);
  });

  it.each([
    ['actions.status', { actions: { status: 'archived' } }],
    ['actions.assignee', { actions: { assignee: 'you' } }],
    ['actions.addTags', { actions: { addTags: ['has space'] } }],
    ['actions.colour', { actions: { colour: 'red' } }],
    ['actions', { actions: { addTags: ['x'], removeTags: ['X'] } }],
    ['reply.body', { reply: { body: 'x'.repeat(LIMITS.macroReply + 1), public: true } }],
    ['reply.body', { reply: { body: '   ', public: true } }],
    ['reply.cc', { reply: { body: 'hi', public: true, cc: 'a@b.test' } }],
    ['title', { title: '' }],
    ['reply', { reply: undefined }],
  ])('names %s when the args are bad', (path, change) => {
    const prepared = prepareMutation('saveMacro', { ...saveArgs, ...change }, adminCtx);
    expect(prepared).toMatchObject({ ok: false, code: 'bad_request' });
    if (!prepared.ok) expect(namesField(prepared.details, path)).toBe(true);
  });

  it('accepts every kind of assignee: me, a user, or nobody', () => {
    for (const assignee of ['me', IDS.admin, null]) {
      const args = { ...saveArgs, actions: { assignee } };
      expect(prepareMutation('saveMacro', args, adminCtx).ok).toBe(true);
    }
  });
});

describe('deleteMacro', () => {
  it('deletes a macro for an admin', () => {
    const rows = tenantRows();
    const outcome = ok(runMutation(rows, 'deleteMacro', { macroId: IDS.macro }, adminCtx));
    expect(outcome.writes).toEqual([{ entity: 'macro', id: IDS.macro, op: 'delete' }]);
    expect(rows.get('macro', IDS.macro)).toBeNull();
  });

  it('refuses agents and missing macros, writing nothing', () => {
    const rows = tenantRows();
    const before = rows.snapshot();
    expect(rejected(runMutation(rows, 'deleteMacro', { macroId: IDS.macro }, agentCtx)).code).toBe(
      'forbidden',
    );
    expect(
      rejected(runMutation(rows, 'deleteMacro', { macroId: IDS.missing }, adminCtx)).code,
    ).toBe('not_found');
    expect(rows.snapshot()).toEqual(before);
    expect(rows.get('macro', IDS.macro)).toEqual(macro());
  });
});
