import { z } from 'zod';
import { Role, TicketPriority, TicketStatus, TicketType } from './enums';
import {
  Email,
  FileName,
  IsoTime,
  MediaType,
  Phone,
  Sha256Hex,
  Tag,
  TagList,
  Uuid,
  Website,
  nullable,
  requiredText,
} from './primitives';

/**
 * Every synced entity as it travels in pull pages and lives in replicas. Unknown fields are
 * tolerated (`z.object` strips them) so that older clients keep working as entities grow.
 */

export const LIMITS = {
  subject: 200,
  description: 64 * 1024,
  commentBody: 64 * 1024,
  name: 120,
  shortText: 120,
  address: 400,
  /**
   * A macro's reply: small enough that with every placeholder filled at its longest (a subject of
   * 200 characters for 18 of `{{ticket.subject}}`) it still fits in a comment.
   */
  macroReply: 5_000,
} as const;

export const Ticket = z.object({
  id: Uuid,
  /** Assigned by the service; null while the creating mutation is still pending on a client. */
  number: z.number().int().positive().nullable(),
  subject: requiredText(LIMITS.subject),
  description: z.string().max(LIMITS.description),
  status: TicketStatus,
  priority: TicketPriority,
  type: TicketType.nullable(),
  requesterId: Uuid,
  assigneeId: Uuid.nullable(),
  tags: z.array(Tag),
  createdBy: Uuid.nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Ticket = z.infer<typeof Ticket>;

export const Comment = z.object({
  id: Uuid,
  ticketId: Uuid,
  /** The agent who wrote it; null for a message from the requester (contact). */
  authorId: Uuid.nullable(),
  body: z.string().min(1).max(LIMITS.commentBody),
  public: z.boolean(),
  createdAt: IsoTime,
});
export type Comment = z.infer<typeof Comment>;

/** A person who raises tickets (a customer of the tenant), not a user of the service. */
export const Contact = z.object({
  id: Uuid,
  name: requiredText(LIMITS.name),
  email: nullable(Email),
  phone: nullable(Phone),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Contact = z.infer<typeof Contact>;

/** The public face of a user (agent or admin) of the tenant. */
export const User = z.object({
  id: Uuid,
  name: requiredText(LIMITS.name),
  email: Email,
  role: Role,
  active: z.boolean(),
});
export type User = z.infer<typeof User>;

/** The signed-in user's own record ("My Company Settings"), private fields included. */
export const Profile = z.object({
  id: Uuid,
  name: requiredText(LIMITS.name),
  email: Email,
  role: Role,
  phone: nullable(Phone),
  title: nullable(requiredText(LIMITS.shortText)),
  department: nullable(requiredText(LIMITS.shortText)),
  fax: nullable(Phone),
  updatedAt: IsoTime,
});
export type Profile = z.infer<typeof Profile>;

/** The tenant's settings. `seats` is sent to admins only. No billing data exists anywhere. */
export const Company = z.object({
  id: Uuid,
  slug: z.string(),
  name: requiredText(LIMITS.name),
  address: nullable(requiredText(LIMITS.address)),
  phone: nullable(Phone),
  website: nullable(Website),
  seats: z.number().int().positive().optional(),
  updatedAt: IsoTime,
});
export type Company = z.infer<typeof Company>;

/**
 * Communication preferences from the seed: the newsletter is off until the user opts in; contact
 * about the product and company can be switched off at any time.
 */
export const Preferences = z.object({
  id: Uuid,
  newsletter: z.boolean(),
  productUpdates: z.boolean(),
  updatedAt: IsoTime,
});
export type Preferences = z.infer<typeof Preferences>;

/** One log-in attempt, good or bad, as the log-in history shows it. */
export const LoginEvent = z.object({
  id: z.string(),
  at: IsoTime,
  email: z.string(),
  userId: Uuid.nullable(),
  ip: z.string(),
  userAgent: z.string().nullable(),
  clientId: z.string().nullable(),
  success: z.boolean(),
  reason: z.enum([
    'ok',
    'bad_credentials',
    'account_disabled',
    'rate_limited',
    'password_setup_required',
    'wrong_current_password',
  ]),
});
export type LoginEvent = z.infer<typeof LoginEvent>;

/** What a macro does to a ticket; a member left out leaves that field alone. */
export const MacroActions = z.object({
  status: TicketStatus.optional(),
  priority: TicketPriority.optional(),
  type: TicketType.nullable().optional(),
  /** `me`: whoever applies the macro; a user id; null: unassigned. */
  assignee: z
    .union([z.literal('me'), Uuid])
    .nullable()
    .optional(),
  addTags: TagList.optional(),
  removeTags: TagList.optional(),
});
export type MacroActions = z.infer<typeof MacroActions>;

/** A macro's reply, with placeholders such as `{{requester.firstName}}` (see macro-expansion). */
export const MacroReply = z.object({
  body: requiredText(LIMITS.macroReply),
  public: z.boolean(),
});

/** A canned set of ticket changes and an optional reply, defined by admins, applied by agents. */
export const Macro = z.object({
  id: Uuid,
  title: requiredText(LIMITS.name),
  actions: MacroActions,
  reply: MacroReply.nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Macro = z.infer<typeof Macro>;

/** A file attached to a ticket: this metadata syncs; the content is fetched on demand. */
export const Attachment = z.object({
  id: Uuid,
  ticketId: Uuid,
  commentId: Uuid.nullable(),
  name: FileName,
  size: z.number().int().nonnegative(),
  contentType: MediaType,
  sha256: Sha256Hex,
  createdBy: Uuid,
  createdAt: IsoTime,
});
export type Attachment = z.infer<typeof Attachment>;

/** The entities that pull pages carry, keyed by their wire name. */
export const ENTITY_SCHEMAS = {
  ticket: Ticket,
  comment: Comment,
  contact: Contact,
  user: User,
  profile: Profile,
  company: Company,
  preferences: Preferences,
  macro: Macro,
  attachment: Attachment,
} as const;

export type EntityName = keyof typeof ENTITY_SCHEMAS;
export type EntityOf<N extends EntityName> = z.infer<(typeof ENTITY_SCHEMAS)[N]>;
export const ENTITY_NAMES = Object.keys(ENTITY_SCHEMAS) as EntityName[];

export function isEntityName(name: string): name is EntityName {
  return Object.prototype.hasOwnProperty.call(ENTITY_SCHEMAS, name);
}
