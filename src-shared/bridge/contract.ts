import { z } from 'zod';
import {
  Comment,
  Company,
  Contact,
  LoginEvent,
  Preferences,
  Profile,
  Ticket,
  User,
} from '../domain/entities';
import { Email, Uuid } from '../domain/primitives';
import { SessionUser, TenantSlug, TenantSummary } from '../protocol/auth';
import { SyncSnapshot } from './sync-status';
import { SEARCH_INPUT_MAX, TicketListQuery, TicketPage } from './ticket-query';

/**
 * The bridge between the renderer and the main process: every call the renderer may make, with
 * the zod schema of its input (the renderer is untrusted: the main process parses every payload)
 * and of its output, and every event the main process sends. Both sides derive their types from
 * these two maps; the preload exposes exactly these and nothing else.
 */

const Empty = z.strictObject({});

export const SignInInput = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/, message: 'must be an https:// address' }).max(2048),
  tenant: TenantSlug,
  email: Email,
  password: z.string().min(1).max(256),
  /** PEM text of a CA to trust for a self-hosted service, in addition to the system's. */
  caCertificate: z
    .string()
    .max(64 * 1024)
    .optional(),
});
export type SignInInput = z.infer<typeof SignInInput>;

export const SessionInfo = z.object({
  serverUrl: z.string(),
  tenant: TenantSummary,
  user: SessionUser,
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SignOutInput = z.strictObject({
  /** Sign out even though changes could not be sent (they are lost). */
  discardPending: z.boolean().default(false),
});

export const SignOutResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed-out') }),
  /** Changes could not be sent: nothing was deleted; ask, then call again with discardPending. */
  z.object({ status: z.literal('pending-changes'), pending: z.number().int().positive() }),
]);
export type SignOutResult = z.infer<typeof SignOutResult>;

export const MutateInput = z.strictObject({
  name: z.string().min(1).max(100),
  args: z.record(z.string(), z.unknown()),
});

export const NeedsAttentionItem = z.object({
  id: z.number().int(),
  mutationId: z.number().int(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  kind: z.enum(['conflict', 'rejected']),
  conflicts: z.array(z.object({ field: z.string(), server: z.unknown(), mine: z.unknown() })),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  createdAt: z.string(),
});
export type NeedsAttentionItem = z.infer<typeof NeedsAttentionItem>;

export const TicketDetail = z.object({
  ticket: Ticket.extend({ pending: z.boolean() }),
  comments: z.array(Comment),
  requester: Contact.nullable(),
  assignee: User.nullable(),
  needsAttention: z.array(NeedsAttentionItem),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

/** Which shell runs the app and what the sign-in form starts with (the demo service, in a demo). */
export const AppInfo = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'preview']),
  signInDefaults: z
    .object({ serverUrl: z.string(), tenant: z.string(), email: z.string() })
    .nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const BRIDGE_INVOKE = {
  getAppInfo: call(Empty, AppInfo),
  signIn: call(SignInInput, SessionInfo),
  signOut: call(SignOutInput, SignOutResult),
  getSession: call(Empty, SessionInfo.nullable()),
  getSyncStatus: call(Empty, SyncSnapshot),
  syncNow: call(Empty, SyncSnapshot),
  listTickets: call(TicketListQuery, TicketPage),
  searchTickets: call(
    z.strictObject({
      text: z.string().max(SEARCH_INPUT_MAX),
      sort: TicketListQuery.shape.sort,
      limit: TicketListQuery.shape.limit,
      after: TicketListQuery.shape.after,
    }),
    TicketPage,
  ),
  getTicket: call(z.strictObject({ id: Uuid }), TicketDetail.nullable()),
  mutate: call(MutateInput, z.object({ mutationId: z.number().int() })),
  undo: call(Empty, z.object({ undone: z.number().int(), by: z.enum(['noop', 'compensation']) })),
  listNeedsAttention: call(Empty, z.array(NeedsAttentionItem)),
  resolveNeedsAttention: call(
    z.strictObject({ id: z.number().int(), choice: z.enum(['mine', 'theirs']) }),
    Empty,
  ),
  listUsers: call(Empty, z.array(User)),
  listContacts: call(Empty, z.array(Contact)),
  getProfile: call(Empty, Profile.nullable()),
  getCompany: call(Empty, Company.nullable()),
  getPreferences: call(Empty, Preferences.nullable()),
  listLoginHistory: call(
    z.strictObject({ scope: z.enum(['me', 'tenant']).default('me') }),
    z.array(LoginEvent),
  ),
} as const;

export type BridgeInvoke = typeof BRIDGE_INVOKE;
export type BridgeCall = keyof BridgeInvoke;
export type BridgeInput<C extends BridgeCall> = z.input<BridgeInvoke[C]['input']>;
export type BridgeOutput<C extends BridgeCall> = z.output<BridgeInvoke[C]['output']>;

export const BRIDGE_EVENTS = {
  syncStatus: SyncSnapshot,
  /** The replica changed (a pull or a local mutation): lists showing these tickets re-query. */
  replicaChanged: z.object({ ticketIds: z.array(z.string()).nullable() }),
} as const;

export type BridgeEvents = typeof BRIDGE_EVENTS;
export type BridgeEvent = keyof BridgeEvents;
export type BridgeEventPayload<E extends BridgeEvent> = z.output<BridgeEvents[E]>;

/** What `window.helpdesk` is: one async function per call, and a subscription per event. */
export type HelpdeskBridge = {
  [C in BridgeCall]: (input: BridgeInput<C>) => Promise<BridgeOutput<C>>;
} & {
  on<E extends BridgeEvent>(
    event: E,
    listener: (payload: BridgeEventPayload<E>) => void,
  ): () => void;
};
