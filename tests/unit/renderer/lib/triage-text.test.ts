import { describe, expect, it } from 'vitest';
import type { Macro } from '../../../../src-shared/domain/entities';
import {
  changeText,
  fieldValueText,
  macroText,
  mutationText,
  ticketLabel,
  userName,
} from '../../../../src-renderer/lib/triage-text';

const users = [
  { id: 'u2', name: 'Agent 2' },
  { id: 'u3', name: 'Agent 3' },
];

describe('values in words', () => {
  it('names agents, labels and nothing', () => {
    expect(userName(users, 'u2')).toBe('Agent 2');
    expect(userName(users, null)).toBe('Unassigned');
    expect(userName(users, 'gone')).toBe('another agent');
    expect(fieldValueText('status', 'on_hold', users)).toBe('On hold');
    expect(fieldValueText('priority', 'urgent', users)).toBe('Urgent');
    expect(fieldValueText('assigneeId', 'u3', users)).toBe('Agent 3');
    expect(fieldValueText('assigneeId', null, users)).toBe('Unassigned');
    expect(fieldValueText('type', null, users)).toBe('No type');
    expect(fieldValueText('subject', undefined, users)).toBe('nothing');
    expect(fieldValueText('tags', ['a', 'b'], users)).toBe('a, b');
    expect(fieldValueText('tags', [], users)).toBe('none');
  });

  it('says a triage change and a queued mutation', () => {
    expect(
      changeText({ kind: 'fields', fields: { status: 'pending', assigneeId: 'u2' } }, users),
    ).toBe('Status: Pending, Assignee: Agent 2');
    expect(changeText({ kind: 'add-tag', tag: 'vip' }, users)).toBe('Tag vip added');
    expect(changeText({ kind: 'remove-tag', tag: 'vip' }, users)).toBe('Tag vip removed');
    expect(
      mutationText(
        { name: 'setTicketFields', args: { ticketId: 'x', fields: { priority: 'low' } } },
        users,
      ),
    ).toBe('Priority: Low');
    expect(mutationText({ name: 'addTags', args: { tags: ['a', 'b'] } }, users)).toBe(
      'Tags added: a, b',
    );
    expect(mutationText({ name: 'addComment', args: { public: false } }, users)).toBe(
      'An internal note',
    );
    expect(mutationText({ name: 'somethingElse', args: {} }, users)).toBe('somethingElse');
    expect(ticketLabel(12)).toBe('#12');
    expect(ticketLabel(null)).toBe('New ticket');
  });
});

describe('macroText', () => {
  const macro = (actions: Macro['actions'], reply: Macro['reply']): Macro => ({
    id: '00000000-0000-4000-8000-000000000001',
    title: 'M',
    actions,
    reply,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  it('says the fields, the tags and the reply a macro brings', () => {
    expect(
      macroText(
        macro(
          { status: 'solved', assignee: 'me', addTags: ['done'] },
          { body: 'Hi', public: true },
        ),
        users,
      ),
    ).toBe('Status: Solved, Assignee: me, Tags added: done, Public reply');
    expect(macroText(macro({ assignee: 'u2', removeTags: ['x'] }, null), users)).toBe(
      'Assignee: Agent 2, Tags removed: x',
    );
    expect(macroText(macro({}, { body: 'Note', public: false }), users)).toBe('Internal note');
  });
});
