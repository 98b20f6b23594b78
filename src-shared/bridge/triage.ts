import { z } from 'zod';
import { LIMITS } from '../domain/entities';
import { TicketStatus } from '../domain/enums';
import { Uuid, requiredText } from '../domain/primitives';
import { AddCommentArgs } from '../mutators/args';
import { SEARCH_INPUT_MAX, TicketListQuery } from './ticket-query';

/**
 * Offline triage over the bridge: replies held because the ticket changed while they waited,
 * drafts, saved views and bulk changes. All of it is local to this replica (this account on this
 * machine): none of it travels on the wire, and signing out deletes it with the replica.
 */

// ---- held replies --------------------------------------------------------------------------------

/**
 * The error code of a needs-attention item made from a held reply whose ticket was deleted before
 * it was sent (the replica writes it; the pane says "Not sent" instead of "the service refused").
 */
export const TICKET_DELETED_CODE = 'ticket_deleted';

/** The longest first line of a new comment shown with a held reply. */
export const HELD_FIRST_LINE_MAX = 200;

/** What changed on the service since the agent wrote the reply. */
export const HeldChanges = z.object({
  /** New public comments by someone else: the requester or another agent. */
  newComments: z.number().int().nonnegative(),
  /** The first line of the first of them (at most HELD_FIRST_LINE_MAX characters), or null. */
  firstLine: z.string().nullable(),
  /** One of them is from the requester. */
  fromCustomer: z.boolean(),
  /** From the status the agent saw to the service's now; null when it is the one they saw. */
  status: z.object({ from: TicketStatus, to: TicketStatus }).nullable(),
  /** Likewise the assignee (null: unassigned); never a change to the agent themselves. */
  assignee: z.object({ from: z.string().nullable(), to: z.string().nullable() }).nullable(),
});
export type HeldChanges = z.infer<typeof HeldChanges>;

export const HeldReply = z.object({
  id: z.number().int(),
  ticketId: z.string(),
  /** The id the comment will have once sent. */
  commentId: z.string(),
  body: z.string(),
  public: z.boolean(),
  /** When the agent wrote it, and when a pull showed the ticket had changed. */
  writtenAt: z.string(),
  heldAt: z.string(),
  changes: HeldChanges,
  /**
   * The agent's later changes to the same ticket, queued after the reply: they wait with it and
   * are sent or discarded with it (a "reply and solve" is never half done).
   */
  heldWith: z.array(z.object({ name: z.string(), args: z.record(z.string(), z.unknown()) })),
});
export type HeldReply = z.infer<typeof HeldReply>;

export const ResolveHeldReplyInput = z.discriminatedUnion('action', [
  /** Back in line as it is (last in the outbox), checked again against later changes. */
  z.strictObject({ id: z.number().int(), action: z.literal('send') }),
  /** Back in line with this body instead. */
  z.strictObject({
    id: z.number().int(),
    action: z.literal('edit'),
    body: AddCommentArgs.shape.body,
  }),
  /** Gone, with the changes held with it; none of it ever reaches the service. */
  z.strictObject({ id: z.number().int(), action: z.literal('discard') }),
]);
export type ResolveHeldReplyInput = z.infer<typeof ResolveHeldReplyInput>;

// ---- drafts ------------------------------------------------------------------------------------

export const Draft = z.object({ body: z.string(), public: z.boolean(), updatedAt: z.string() });
export type Draft = z.infer<typeof Draft>;

/** An empty (or blank) body deletes the draft. */
export const SaveDraftInput = z.strictObject({
  ticketId: Uuid,
  body: z.string().max(LIMITS.commentBody),
  public: z.boolean(),
});
export type SaveDraftInput = z.infer<typeof SaveDraftInput>;

// ---- saved views ---------------------------------------------------------------------------------

export const SAVED_VIEWS_MAX = 50;
export const VIEW_NAME_MAX = 60;

const { limit: _limit, after: _after, ...filterShape } = TicketListQuery.shape;

/** A view's filters: a ticket list query without paging (its `sort` is what the view opens with). */
export const ViewFilters = z.strictObject(filterShape);
export type ViewFilters = z.infer<typeof ViewFilters>;

/**
 * What a view shows: the search box's text (read again each time, so `assignee:me` is whoever
 * is signed in) or list filters.
 */
export const SavedViewQuery = z.union([
  z.strictObject({ search: z.string().trim().min(1).max(SEARCH_INPUT_MAX) }),
  z.strictObject({ filters: ViewFilters }),
]);
export type SavedViewQuery = z.infer<typeof SavedViewQuery>;

export const SavedView = z.object({
  id: Uuid,
  name: z.string(),
  query: SavedViewQuery,
  /** Tickets it matches in the replica now (base and pending changes). */
  count: z.number().int().nonnegative(),
});
export type SavedView = z.infer<typeof SavedView>;

/** Without `id`: a new view. With it: that view renamed or changed. Names are unique, any case. */
export const SaveViewInput = z.strictObject({
  id: Uuid.optional(),
  name: requiredText(VIEW_NAME_MAX),
  query: SavedViewQuery,
});
export type SaveViewInput = z.infer<typeof SaveViewInput>;

// ---- bulk ----------------------------------------------------------------------------------------

export const MUTATE_MANY_MAX = 500;

/** One result per item, in order: each item is queued, or refused on its own. */
export const MutateManyResult = z.object({
  results: z.array(
    z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), mutationId: z.number().int() }),
      z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
    ]),
  ),
});
export type MutateManyResult = z.infer<typeof MutateManyResult>;
