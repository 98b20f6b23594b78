import type { HeldChanges } from '../../src-shared/bridge/triage';
import type { User } from '../../src-shared/domain/entities';
import { STATUS_LABELS } from './format';
import { userName } from './triage-text';

/** What changed on a ticket while a reply to it waited, line by line, as the held reply says. */
export function heldChangeLines(
  changes: HeldChanges,
  users: readonly Pick<User, 'id' | 'name'>[],
  me: string | null,
): string[] {
  const lines: string[] = [];
  const quote = changes.firstLine === null ? '' : `: “${changes.firstLine}”`;
  if (changes.newComments === 1) {
    lines.push(`${changes.fromCustomer ? 'The requester' : 'Another agent'} replied${quote}`);
  } else if (changes.newComments > 1) {
    const customer = changes.fromCustomer ? ', the requester among them' : '';
    lines.push(`${changes.newComments} new public replies${customer}; the first${quote}`);
  }
  if (changes.status)
    lines.push(
      `Status changed from ${STATUS_LABELS[changes.status.from]} to ${STATUS_LABELS[changes.status.to]}`,
    );
  if (changes.assignee) {
    const name = (id: string | null) => (id !== null && id === me ? 'you' : userName(users, id));
    lines.push(
      changes.assignee.to === null
        ? `Unassigned (was ${name(changes.assignee.from)})`
        : `Assigned to ${name(changes.assignee.to)} (was ${name(changes.assignee.from)})`,
    );
  }
  return lines;
}
