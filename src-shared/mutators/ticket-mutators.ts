import type { Ticket } from '../domain/entities';
import { normaliseTags } from '../domain/primitives';
import {
  AddCommentArgs,
  CreateTicketArgs,
  DeleteTicketArgs,
  SetTicketFieldsArgs,
  TagsArgs,
} from './args';
import { mergeFields } from './merge-fields';
import { applied, reject, type MutatorDef, type RowReader } from './types';

function activeAssignee(rows: RowReader, assigneeId: string | null | undefined): boolean {
  if (!assigneeId) return true;
  const user = rows.get('user', assigneeId);
  return user !== null && user.active;
}

export const createTicket: MutatorDef<typeof CreateTicketArgs> = {
  args: CreateTicketArgs,
  reads: (args) => [
    { entity: 'ticket', id: args.id },
    { entity: 'contact', id: args.requesterId },
    ...(args.assigneeId ? [{ entity: 'user' as const, id: args.assigneeId }] : []),
  ],
  apply(rows, args, _base, ctx) {
    if (rows.get('ticket', args.id))
      return reject('already_exists', 'a ticket with this id exists');
    if (!rows.get('contact', args.requesterId)) return reject('not_found', 'requester not found');
    if (!activeAssignee(rows, args.assigneeId)) return reject('not_found', 'assignee not found');
    const ticket: Ticket = {
      id: args.id,
      number: null,
      subject: args.subject,
      description: args.description,
      status: 'new',
      priority: args.priority ?? 'normal',
      type: args.type ?? null,
      requesterId: args.requesterId,
      assigneeId: args.assigneeId ?? null,
      tags: normaliseTags(args.tags ?? []),
      createdBy: ctx.userId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    return applied([{ entity: 'ticket', id: ticket.id, op: 'upsert', data: ticket }]);
  },
};

export const setTicketFields: MutatorDef<typeof SetTicketFieldsArgs> = {
  args: SetTicketFieldsArgs,
  reads: (args) => [
    { entity: 'ticket', id: args.ticketId },
    ...(args.fields.assigneeId ? [{ entity: 'user' as const, id: args.fields.assigneeId }] : []),
  ],
  apply(rows, args, base, ctx) {
    const ticket = rows.get('ticket', args.ticketId);
    if (!ticket) return reject('not_found', 'ticket not found');
    if (!activeAssignee(rows, args.fields.assigneeId))
      return reject('not_found', 'assignee not found');
    const { next, changed, conflicts } = mergeFields(ticket, args.fields, base);
    if (changed.length === 0) return applied([], conflicts);
    const data: Ticket = { ...next, updatedAt: ctx.now };
    return applied([{ entity: 'ticket', id: ticket.id, op: 'upsert', data }], conflicts);
  },
};

function tagMutator(
  combine: (current: string[], tags: string[]) => string[],
): MutatorDef<typeof TagsArgs> {
  return {
    args: TagsArgs,
    reads: (args) => [{ entity: 'ticket', id: args.ticketId }],
    apply(rows, args, _base, ctx) {
      const ticket = rows.get('ticket', args.ticketId);
      if (!ticket) return reject('not_found', 'ticket not found');
      const tags = normaliseTags(combine(ticket.tags, args.tags));
      if (tags.join('\n') === ticket.tags.join('\n')) return applied([]);
      const data: Ticket = { ...ticket, tags, updatedAt: ctx.now };
      return applied([{ entity: 'ticket', id: ticket.id, op: 'upsert', data }]);
    },
  };
}

/** Tag edits are set operations, so concurrent adds and removes of different tags commute. */
export const addTags = tagMutator((current, tags) => [...current, ...tags]);
export const removeTags = tagMutator((current, tags) => current.filter((t) => !tags.includes(t)));

export const addComment: MutatorDef<typeof AddCommentArgs> = {
  args: AddCommentArgs,
  reads: (args) => [
    { entity: 'comment', id: args.id },
    { entity: 'ticket', id: args.ticketId },
  ],
  apply(rows, args, _base, ctx) {
    if (rows.get('comment', args.id))
      return reject('already_exists', 'a comment with this id exists');
    const ticket = rows.get('ticket', args.ticketId);
    if (!ticket) return reject('not_found', 'ticket not found');
    const comment = {
      id: args.id,
      ticketId: args.ticketId,
      authorId: ctx.userId,
      body: args.body,
      public: args.public,
      createdAt: ctx.now,
    };
    return applied([
      { entity: 'comment', id: comment.id, op: 'upsert', data: comment },
      { entity: 'ticket', id: ticket.id, op: 'upsert', data: { ...ticket, updatedAt: ctx.now } },
    ]);
  },
};

export const deleteTicket: MutatorDef<typeof DeleteTicketArgs> = {
  args: DeleteTicketArgs,
  adminOnly: true,
  reads: (args) => [{ entity: 'ticket', id: args.ticketId }],
  apply(rows, args) {
    if (!rows.get('ticket', args.ticketId)) return reject('not_found', 'ticket not found');
    return applied([{ entity: 'ticket', id: args.ticketId, op: 'delete' }]);
  },
};
