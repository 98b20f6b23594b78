import { z } from 'zod';
import {
  Attachment,
  Comment,
  Company,
  Contact,
  LoginEvent,
  Macro,
  Preferences,
  Profile,
  Ticket,
  User,
} from '../domain/entities';
import { Email, Uuid } from '../domain/primitives';
import { ATTACHMENT_MAX_BYTES } from '../protocol/attachments';
import { TenantSlug } from '../protocol/auth';
import { AccountDiskUsage, AccountId, AccountSummary, SessionInfo } from './accounts';
import { DeviceSettings, DeviceSettingsChange } from './device-settings';
import { NewWorkEvent, OpenTicketEvent } from './new-work';
import { KeepOfflineMonths, OfflineWindow, OfflineWindowChange } from './offline-window';
import { SentSyncSnapshot } from './sync-status';
import { SEARCH_INPUT_MAX, TicketListQuery, TicketPage } from './ticket-query';
import {
  Draft,
  HeldReply,
  MUTATE_MANY_MAX,
  MutateManyResult,
  ResolveHeldReplyInput,
  SaveDraftInput,
  SavedView,
  SaveViewInput,
} from './triage';
import { UpdatePreferencesInput, UpdateStatus } from './updates';

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

export { AccountSummary, SessionInfo };

export const SignOutInput = z.strictObject({
  /** Sign out even though changes could not be sent (they are lost). */
  discardPending: z.boolean().default(false),
  /** The account to sign out of (the others stay signed in); default: the active one. */
  accountId: AccountId.optional(),
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
  /** Replies to this ticket held because it changed before they were sent, oldest first. */
  heldReplies: z.array(HeldReply),
  /** Oldest first; `cached`: its content is on this machine, so it opens offline. */
  attachments: z.array(Attachment.extend({ cached: z.boolean() })),
  /** False: outside "keep offline", here because it was opened on demand or is still in use. */
  keptOffline: z.boolean(),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

/** An attachment's content, opened: `contentType` is one that runs no script (else octet-stream). */
export const AttachmentFile = z.object({
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  dataBase64: z.string().max(Math.ceil(ATTACHMENT_MAX_BYTES / 3) * 4),
});
export type AttachmentFile = z.infer<typeof AttachmentFile>;

/** Which shell runs the app and what the sign-in form starts with (the demo service, in a demo). */
export const AppInfo = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'preview']),
  signInDefaults: z
    .object({ serverUrl: z.string(), tenant: z.string(), email: z.string() })
    .nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * A record the agent edits offline ("My Company Settings"): what they see now (their pending
 * edits applied), the service's last confirmed copy, and the fields where the two differ. After a
 * sync the confirmed copy is the service's, so the agent can check what it now holds.
 */
const editable = <T extends z.ZodType>(record: T) =>
  z.object({
    current: record,
    /** null until the service's copy has arrived (the first sync). */
    confirmed: record.nullable(),
    /** Field names (never `updatedAt`) whose current value the service has not confirmed yet. */
    pendingFields: z.array(z.string()),
  });
export const EditableProfile = editable(Profile);
export type EditableProfile = z.infer<typeof EditableProfile>;
export const EditableCompany = editable(Company);
export type EditableCompany = z.infer<typeof EditableCompany>;
export const EditablePreferences = editable(Preferences);
export type EditablePreferences = z.infer<typeof EditablePreferences>;

/** Online only: the current password never enters the outbox or the replica. */
export const ChangeEmailInput = z.strictObject({
  newEmail: Email,
  currentPassword: z.string().min(1).max(256),
});
export const ChangePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  /** Checked against the shared password policy here and again by the service. */
  newPassword: z.string().min(1).max(256),
});

/** "Export my data": the service's JSON, handed to the renderer to save as a file. */
export const AccountExportFile = z.object({ fileName: z.string(), json: z.string() });
export type AccountExportFile = z.infer<typeof AccountExportFile>;

/** What this account keeps on this machine, in bytes, and the changes not yet sent. */
export const LocalDataUsage = z.object({
  /** The replica database with its write-ahead log. */
  replicaBytes: z.number().int().nonnegative(),
  /** Attachment contents kept for offline use. */
  attachmentBytes: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  /** Every signed-in account's folder on this machine, the active one's included. */
  accounts: z.array(AccountDiskUsage),
});
export type LocalDataUsage = z.infer<typeof LocalDataUsage>;

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const BRIDGE_INVOKE = {
  getAppInfo: call(Empty, AppInfo),
  signIn: call(SignInInput, SessionInfo),
  signOut: call(SignOutInput, SignOutResult),
  getSession: call(Empty, SessionInfo.nullable()),
  /** Every signed-in account, in the order they were added (Ctrl+1..9 follows it). */
  listAccounts: call(Empty, z.array(AccountSummary)),
  /** The workspace shows this account from now on; the others go on syncing. */
  switchAccount: call(z.strictObject({ id: AccountId }), SessionInfo),
  /** Signs in to another account, which becomes the active one; the others stay signed in. */
  addAccount: call(SignInInput, SessionInfo),
  getSyncStatus: call(Empty, SentSyncSnapshot),
  syncNow: call(Empty, SentSyncSnapshot),
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
  getProfile: call(Empty, EditableProfile.nullable()),
  getCompany: call(Empty, EditableCompany.nullable()),
  getPreferences: call(Empty, EditablePreferences.nullable()),
  /** Online: asks the service (current password, uniqueness), then moves the keychain entry. */
  changeEmail: call(ChangeEmailInput, SessionInfo),
  /** Online: the service ends every other session of the user; this one goes on. */
  changePassword: call(ChangePasswordInput, Empty),
  exportMyData: call(Empty, AccountExportFile),
  listLoginHistory: call(
    z.strictObject({ scope: z.enum(['me', 'tenant']).default('me') }),
    z.array(LoginEvent),
  ),
  /** The tenant's macros as this replica has them, by title. */
  listMacros: call(Empty, z.array(Macro)),
  /**
   * Applies a macro to a ticket offline: its changes (only those the ticket lacks) and its reply,
   * placeholders filled, are queued together like any change; none is queued if one is refused.
   */
  applyMacro: call(
    z.strictObject({ ticketId: Uuid, macroId: Uuid }),
    z.object({ mutationIds: z.array(z.number().int()) }),
  ),
  /** From this machine's cache, else fetched (and kept); offline and not cached: `offline_unavailable`. */
  openAttachment: call(z.strictObject({ id: Uuid }), AttachmentFile),
  /**
   * Several changes at once (bulk actions), each its own mutation: one refused does not stop the
   * others; a result per item, in order.
   */
  mutateMany: call(
    z.strictObject({ items: z.array(MutateInput).min(1).max(MUTATE_MANY_MAX) }),
    MutateManyResult,
  ),
  /** Every held reply, oldest first (the ticket's own are in getTicket too). */
  listHeldReplies: call(Empty, z.array(HeldReply)),
  /** Send anyway, edit then send, or discard a held reply (and the changes held with it). */
  resolveHeldReply: call(
    ResolveHeldReplyInput,
    z.object({ mutationIds: z.array(z.number().int()) }),
  ),
  getDraft: call(z.strictObject({ ticketId: Uuid }), Draft.nullable()),
  /** Keeps the unfinished reply of a ticket; an empty body deletes it. */
  saveDraft: call(SaveDraftInput, Empty),
  /** This account's saved views on this machine, each with its count now. */
  listSavedViews: call(Empty, z.array(SavedView)),
  saveView: call(SaveViewInput, SavedView),
  deleteView: call(z.strictObject({ id: Uuid }), Empty),
  getLocalDataUsage: call(Empty, LocalDataUsage),
  /**
   * Pulls everything again from the service and drops cached attachments; changes not yet sent
   * are kept and sent (the renderer asks first). Answers how many were kept.
   */
  resetLocalData: call(Empty, z.object({ pendingKept: z.number().int().nonnegative() })),
  /** "Keep offline": every ticket, or those updated in the last N months (this account, here). */
  getOfflineWindow: call(Empty, OfflineWindow),
  /** Tickets outside a narrower window go now; a wider one downloads what is missing. */
  setOfflineWindow: call(
    z.strictObject({ months: KeepOfflineMonths.nullable() }),
    OfflineWindowChange,
  ),
  /**
   * A ticket by number or id, from the service when it is not kept offline (then kept a day);
   * null when there is none. Offline and not here: `offline_unavailable`.
   */
  fetchTicket: call(
    z.strictObject({ ref: z.union([z.number().int().positive().max(1e15), Uuid]) }),
    z.object({ id: Uuid }).nullable(),
  ),
  /** Online: tickets older than those kept offline whose subject or description hold the words. */
  searchOlderTickets: call(
    z.strictObject({ text: z.string().max(SEARCH_INPUT_MAX) }),
    z.object({ tickets: z.array(Ticket) }),
  ),
  /** A text report for support: versions, system, sync state, recent log; redacted, no contents. */
  copyDiagnostics: call(Empty, z.object({ text: z.string() })),
  /** The app's own updates: the status, a check now, a download, automatic downloads on or off. */
  getUpdateStatus: call(Empty, UpdateStatus),
  checkForUpdates: call(Empty, UpdateStatus),
  downloadUpdate: call(Empty, UpdateStatus),
  setUpdatePreferences: call(UpdatePreferencesInput, UpdateStatus),
  /** With an update ready: closes the replica (the outbox stays), then quits and installs it. */
  restartToUpdate: call(Empty, Empty),
  /** This computer's theme and notification choices (kept across sign-outs). */
  getDeviceSettings: call(Empty, DeviceSettings),
  updateDeviceSettings: call(DeviceSettingsChange, DeviceSettings),
  /** A render error the renderer caught (its error screen shows): into the diagnostics log. */
  reportRendererError: call(
    z.strictObject({ message: z.string().max(2000), stack: z.string().max(20_000).optional() }),
    Empty,
  ),
} as const;

export type BridgeInvoke = typeof BRIDGE_INVOKE;
export type BridgeCall = keyof BridgeInvoke;
export type BridgeInput<C extends BridgeCall> = z.input<BridgeInvoke[C]['input']>;
export type BridgeOutput<C extends BridgeCall> = z.output<BridgeInvoke[C]['output']>;

export const BRIDGE_EVENTS = {
  syncStatus: SentSyncSnapshot,
  /** The replica changed (a pull or a local mutation): lists showing these tickets re-query. */
  replicaChanged: z.object({ ticketIds: z.array(z.string()).nullable() }),
  /** New work for the agent since the last check of the replica (the Notifications list). */
  newWork: NewWorkEvent,
  /** The Electron shell: the agent clicked a notification about this ticket. */
  openTicket: OpenTicketEvent,
  /** The app's own updates changed state (a check, download progress, an update ready). */
  updateStatus: UpdateStatus,
  /** The accounts, their counts or which one is active changed (listAccounts' answer). */
  accounts: z.array(AccountSummary),
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
