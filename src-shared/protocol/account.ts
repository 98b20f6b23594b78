import { z } from 'zod';
import { Comment, LoginEvent, Preferences, Profile, Ticket } from '../domain/entities';
import { Role } from '../domain/enums';
import { Email, IsoTime, Uuid } from '../domain/primitives';
import { SupportAccessEntry } from './admin';
import { PASSWORD_MAX, Password, SessionUser } from './auth';

export const LoginHistoryQuery = z.strictObject({
  /** `me`: the caller's own log-ins; `tenant`: everyone's in the tenant (admins only). */
  scope: z.enum(['me', 'tenant']).default('me'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type LoginHistoryQuery = z.infer<typeof LoginHistoryQuery>;

/** Changing one's password: every other session of the user ends, the caller's stays. */
export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX),
  newPassword: Password,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/**
 * Changing one's email (the name one logs in with): needs the current password, like a change of
 * password. The user's sessions go on; the `user` and `profile` rows carry the new email.
 */
export const ChangeEmailRequest = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX),
  newEmail: Email,
});
export type ChangeEmailRequest = z.infer<typeof ChangeEmailRequest>;

export const ChangeEmailResponse = z.object({ user: SessionUser });
export type ChangeEmailResponse = z.infer<typeof ChangeEmailResponse>;

export const LoginHistoryResponse = z.object({ events: z.array(LoginEvent) });
export type LoginHistoryResponse = z.infer<typeof LoginHistoryResponse>;

/** One recorded change of a communication preference: opting in or out, or the value at sign-up. */
export const PreferenceChange = z.object({
  field: z.enum(['newsletter', 'productUpdates']),
  /** null for the value the account was created with. */
  old: z.boolean().nullable(),
  new: z.boolean(),
  at: IsoTime,
  source: z.enum(['account_created', 'sync']),
});
export type PreferenceChange = z.infer<typeof PreferenceChange>;

/** A session as the export shows it: its token material and id stay on the service. */
export const ExportedSession = z.object({
  device: z.string().nullable(),
  createdAt: IsoTime,
  revokedAt: IsoTime.nullable(),
  revokedReason: z.string().nullable(),
});
export type ExportedSession = z.infer<typeof ExportedSession>;

/** "Export my data": everything the service holds about the caller, never a password or token. */
export const AccountExport = z.object({
  generatedAt: IsoTime,
  account: z.object({
    id: Uuid,
    tenant: z.string(),
    name: z.string(),
    email: z.string(),
    role: Role,
    active: z.boolean(),
    createdAt: IsoTime,
  }),
  profile: Profile.nullable(),
  preferences: Preferences.nullable(),
  preferenceChanges: z.array(PreferenceChange),
  logins: z.array(LoginEvent),
  sessions: z.array(ExportedSession),
  /** Tickets the caller created or is assigned to, and the comments they wrote. */
  tickets: z.array(Ticket),
  comments: z.array(Comment),
  /** Operator accesses that may have covered the caller: the ticket list, or one of their tickets. */
  supportAccess: z.array(SupportAccessEntry),
});
export type AccountExport = z.infer<typeof AccountExport>;
