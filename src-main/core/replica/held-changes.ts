import { HELD_FIRST_LINE_MAX, type HeldChanges } from '../../../src-shared/bridge/triage';
import type { Comment, Ticket } from '../../../src-shared/domain/entities';

/**
 * What tells a queued reply apart from one that would land in a conversation the agent has not
 * seen: someone else's new public comment, or a change of the status or the assignee, brought by
 * a pull after the agent wrote it. Pure: the replica feeds it the rows of each pull.
 */

/** The ticket as the agent saw it when writing the reply (their own pending changes included). */
export interface SeenTicket {
  status: Ticket['status'];
  assigneeId: string | null;
}

export const NO_CHANGES: HeldChanges = {
  newComments: 0,
  firstLine: null,
  fromCustomer: false,
  status: null,
  assignee: null,
};

export function seenOf(ticket: Ticket): SeenTicket {
  return { status: ticket.status, assigneeId: ticket.assigneeId };
}

/** A comment new to the replica: counted when it is public and not the agent's own. */
export function withComment(changes: HeldChanges, comment: Comment, me: string): HeldChanges {
  if (!comment.public || comment.authorId === me) return changes;
  const firstLine = comment.body.trim().split(/\r?\n/, 1)[0]!.slice(0, HELD_FIRST_LINE_MAX);
  return {
    ...changes,
    newComments: changes.newComments + 1,
    firstLine: changes.firstLine ?? firstLine,
    fromCustomer: changes.fromCustomer || comment.authorId === null,
  };
}

/**
 * A new version of the ticket from the service (`before`: the one it replaces). A field counts
 * only when the service changed it now and the new value is not the one the agent saw: their own
 * change arriving back, queued before the reply, is not a collision. Compared with what the agent
 * saw, a field that comes back to it no longer counts. Being assigned the ticket oneself is no
 * reason to hold one's reply.
 */
export function withTicket(
  changes: HeldChanges,
  seen: SeenTicket,
  before: Ticket,
  after: Ticket,
  me: string,
): HeldChanges {
  let { status, assignee } = changes;
  if (after.status !== before.status) {
    status = after.status === seen.status ? null : { from: seen.status, to: after.status };
  }
  if (after.assigneeId !== before.assigneeId) {
    assignee =
      after.assigneeId === seen.assigneeId || after.assigneeId === me
        ? null
        : { from: seen.assigneeId, to: after.assigneeId };
  }
  return status === changes.status && assignee === changes.assignee
    ? changes
    : { ...changes, status, assignee };
}

export function collides(changes: HeldChanges): boolean {
  return changes.newComments > 0 || changes.status !== null || changes.assignee !== null;
}
