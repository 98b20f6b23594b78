import type { Contact, Macro, Ticket, User } from '../domain/entities';
import type { MutationArgs, MutationName } from './registry';

/** One mutation a macro plans, to be queued with the other ones like any agent change. */
export type MacroMutation = {
  [N in MutationName]: { name: N; args: MutationArgs<N> };
}[MutationName];

export interface MacroTarget {
  ticket: Ticket;
  /** The ticket's requester, or null when this replica does not have the contact. */
  requester: Contact | null;
  /** Who applies the macro: `assignee: 'me'` and `{{agent.*}}` name them. */
  agent: Pick<User, 'id' | 'name'>;
  /** The id of the reply comment (src-shared takes randomness as a parameter). */
  newId: () => string;
}

/** What `{{requester.*}}` says when the requester is unknown: "Hi {{requester.firstName}}," reads "Hi there,". */
export const UNKNOWN_REQUESTER = 'there';
/** What `{{ticket.number}}` says while the service has not numbered the ticket yet. */
export const PENDING_NUMBER = '(pending)';

const PLACEHOLDER = /\{\{\s*([a-zA-Z]+\.[a-zA-Z]+)\s*\}\}/g;

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** The reply body with its placeholders filled; an unknown placeholder is left as written. */
export function fillPlaceholders(body: string, target: Omit<MacroTarget, 'newId'>): string {
  const { ticket, requester, agent } = target;
  const values: Record<string, string> = {
    'requester.firstName': requester ? firstName(requester.name) : UNKNOWN_REQUESTER,
    'requester.name': requester ? requester.name : UNKNOWN_REQUESTER,
    'agent.firstName': firstName(agent.name),
    'agent.name': agent.name,
    'ticket.number': ticket.number === null ? PENDING_NUMBER : String(ticket.number),
    'ticket.subject': ticket.subject,
  };
  // A function replacer: a value holding `$&` or `$1` is inserted as written.
  return body.replace(PLACEHOLDER, (whole, key: string) =>
    Object.hasOwn(values, key) ? values[key]! : whole,
  );
}

/**
 * The mutations that apply `macro` to the ticket, in order: its fields (only those that change),
 * the tags it adds and removes (only those that change), then its reply. Pure: the same macro on
 * the same ticket always plans the same mutations (but for the reply's id).
 */
export function expandMacro(macro: Macro, target: MacroTarget): MacroMutation[] {
  const { ticket } = target;
  const { actions } = macro;
  const planned: MacroMutation[] = [];
  const fields: MutationArgs<'setTicketFields'>['fields'] = {};
  if (actions.status !== undefined && actions.status !== ticket.status)
    fields.status = actions.status;
  if (actions.priority !== undefined && actions.priority !== ticket.priority)
    fields.priority = actions.priority;
  if (actions.type !== undefined && actions.type !== ticket.type) fields.type = actions.type;
  if (actions.assignee !== undefined) {
    const assigneeId = actions.assignee === 'me' ? target.agent.id : actions.assignee;
    if (assigneeId !== ticket.assigneeId) fields.assigneeId = assigneeId;
  }
  if (Object.keys(fields).length > 0) {
    planned.push({ name: 'setTicketFields', args: { ticketId: ticket.id, fields } });
  }
  const adding = (actions.addTags ?? []).filter((tag) => !ticket.tags.includes(tag));
  if (adding.length > 0) {
    planned.push({ name: 'addTags', args: { ticketId: ticket.id, tags: adding } });
  }
  const removing = (actions.removeTags ?? []).filter((tag) => ticket.tags.includes(tag));
  if (removing.length > 0) {
    planned.push({ name: 'removeTags', args: { ticketId: ticket.id, tags: removing } });
  }
  if (macro.reply) {
    planned.push({
      name: 'addComment',
      args: {
        id: target.newId(),
        ticketId: ticket.id,
        body: fillPlaceholders(macro.reply.body, target),
        public: macro.reply.public,
      },
    });
  }
  return planned;
}
