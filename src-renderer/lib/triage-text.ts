import type { Macro, User } from '../../src-shared/domain/entities';
import type { TicketPriority, TicketStatus, TicketType } from '../../src-shared/domain/enums';
import type { MutationArgs } from '../../src-shared/mutators/registry';
import { PRIORITY_LABELS, STATUS_LABELS, TYPE_LABELS } from './format';

/** Triage changes in words: the toasts, the bulk report, conflicts and held replies say them. */

export type TicketFieldsChange = MutationArgs<'setTicketFields'>['fields'];

/** One triage change, of one ticket or of each ticket of a selection. */
export type TriageChange =
  | { kind: 'fields'; fields: TicketFieldsChange }
  | { kind: 'add-tag'; tag: string }
  | { kind: 'remove-tag'; tag: string };

/** An agent's name; null is nobody. */
export function userName(users: readonly Pick<User, 'id' | 'name'>[], id: string | null): string {
  if (id === null) return 'Unassigned';
  return users.find((u) => u.id === id)?.name ?? 'another agent';
}

/** A ticket field's value as the pane shows it (labels, names), whatever its type. */
export function fieldValueText(
  field: string,
  value: unknown,
  users: readonly Pick<User, 'id' | 'name'>[],
): string {
  if (field === 'assigneeId') return userName(users, typeof value === 'string' ? value : null);
  if (value === null || value === undefined) return field === 'type' ? 'No type' : 'nothing';
  if (field === 'status') return STATUS_LABELS[value as TicketStatus] ?? String(value);
  if (field === 'priority') return PRIORITY_LABELS[value as TicketPriority] ?? String(value);
  if (field === 'type') return TYPE_LABELS[value as TicketType] ?? String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}

const FIELD_NAMES: Record<string, string> = {
  status: 'Status',
  priority: 'Priority',
  assigneeId: 'Assignee',
  type: 'Type',
  subject: 'Subject',
  tags: 'Tags',
};

export const fieldName = (field: string) => FIELD_NAMES[field] ?? field;

export function changeText(change: TriageChange, users: readonly Pick<User, 'id' | 'name'>[]) {
  switch (change.kind) {
    case 'add-tag':
      return `Tag ${change.tag} added`;
    case 'remove-tag':
      return `Tag ${change.tag} removed`;
    case 'fields':
      return Object.entries(change.fields)
        .filter(([, value]) => value !== undefined)
        .map(([field, value]) => `${fieldName(field)}: ${fieldValueText(field, value, users)}`)
        .join(', ');
  }
}

/** A queued mutation of a ticket in words (a change held with a reply). */
export function mutationText(
  mutation: { name: string; args: Record<string, unknown> },
  users: readonly Pick<User, 'id' | 'name'>[],
): string {
  const { name, args } = mutation;
  const tags = Array.isArray(args.tags) ? args.tags.join(', ') : '';
  if (name === 'setTicketFields' && typeof args.fields === 'object' && args.fields !== null)
    return changeText({ kind: 'fields', fields: args.fields as TicketFieldsChange }, users);
  if (name === 'addTags') return `Tags added: ${tags}`;
  if (name === 'removeTags') return `Tags removed: ${tags}`;
  if (name === 'addComment') return args.public === false ? 'An internal note' : 'A reply';
  return name;
}

/** What a macro does, in one line: its field changes, its tags, and whether it replies. */
export function macroText(macro: Macro, users: readonly Pick<User, 'id' | 'name'>[]): string {
  const { assignee, addTags, removeTags, ...fields } = macro.actions;
  const parts = [changeText({ kind: 'fields', fields }, users)];
  if (assignee === 'me') parts.push('Assignee: me');
  else if (assignee !== undefined) parts.push(`Assignee: ${userName(users, assignee)}`);
  if (addTags?.length) parts.push(`Tags added: ${addTags.join(', ')}`);
  if (removeTags?.length) parts.push(`Tags removed: ${removeTags.join(', ')}`);
  if (macro.reply) parts.push(macro.reply.public ? 'Public reply' : 'Internal note');
  return parts.filter((part) => part !== '').join(', ');
}

/** "#12", or what a ticket the service has not numbered yet is called. */
export const ticketLabel = (number: number | null) =>
  number === null ? 'New ticket' : `#${number}`;

export const ticketsCount = (n: number) => (n === 1 ? '1 ticket' : `${n} tickets`);
