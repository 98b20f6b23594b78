import type { Comment, Preferences, Profile, Ticket } from '../../src-shared/domain/entities';
import type { Role } from '../../src-shared/domain/enums';
import type { PreferenceChange } from '../../src-shared/protocol/account';
import type {
  AccountData,
  MailingListEntry,
  MailingListName,
  PreferenceSource,
} from './privacy-storage';
import { flag, nameIn, parseJson, type DbFlag } from './row-mapping';

/**
 * The rules of the privacy promises that do not depend on the database, for both storages: which
 * preference changes are logged, who is on a mailing list, and the shape of "export my data".
 */

const PREFERENCE_FIELDS = ['newsletter', 'productUpdates'] as const;

/** Each field of `after` that differs from `before` (all of them for a new account). */
export function preferenceFieldChanges(
  before: Preferences | null,
  after: Preferences,
): Array<{ field: PreferenceChange['field']; old: boolean | null; new: boolean }> {
  return PREFERENCE_FIELDS.flatMap((field) => {
    const old = before === null ? null : before[field];
    return old === after[field] ? [] : [{ field, old, new: after[field] }];
  });
}

/** Whether one account's preferences let the service send it a mailing of the list. */
const WANTS: Record<MailingListName, (p: Preferences | null) => boolean> = {
  newsletter: (p) => p?.newsletter === true,
  product: (p) => p?.productUpdates !== false,
};

/** Active users with their `user` and `preferences` records: the rows `mailingListFrom` takes. */
export const MAILING_LIST_SELECT = `
  SELECT u.email, u.email_key, r.data AS user, p.data AS preferences FROM users u
  LEFT JOIN records r ON r.tenant_id = u.tenant_id AND r.entity = 'user' AND r.id = u.id
    AND NOT r.deleted
  LEFT JOIN records p ON p.tenant_id = u.tenant_id AND p.entity = 'preferences'
    AND p.id = u.id AND NOT p.deleted
  WHERE u.active
  ORDER BY u.email_key, u.created_at`;

export interface MailingListDbRow {
  email: string;
  email_key: string;
  user: string | null;
  preferences: string | null;
}

/**
 * The accounts whose preferences allow the list, across tenants, from rows ordered by email key.
 * A person with several accounts is listed once, and only if none of their active accounts declined.
 */
export function mailingListFrom(
  rows: readonly MailingListDbRow[],
  list: MailingListName,
): MailingListEntry[] {
  const byEmail = new Map<string, MailingListEntry | null>();
  for (const row of rows) {
    const wanted = WANTS[list](parseJson<Preferences>(row.preferences));
    const seen = byEmail.get(row.email_key);
    if (!wanted) byEmail.set(row.email_key, null);
    else if (seen === undefined) {
      byEmail.set(row.email_key, { email: row.email, name: nameIn(row.user) ?? row.email });
    }
  }
  return [...byEmail.values()].filter((entry) => entry !== null);
}

/** The account's own row in "export my data", with its `user` record. */
export const ACCOUNT_SELECT = `
  SELECT u.id, t.slug AS tenant, u.email, u.role, u.active, u.created_at, r.data AS user
  FROM users u JOIN tenants t ON t.id = u.tenant_id
  LEFT JOIN records r ON r.tenant_id = u.tenant_id AND r.entity = 'user' AND r.id = u.id`;

export interface AccountDataRows {
  account: {
    id: string;
    tenant: string;
    email: string;
    role: Role;
    active: DbFlag;
    created_at: string;
    user: string | null;
  };
  /** The user's own records' JSON. */
  profile: string | null | undefined;
  preferences: string | null | undefined;
  preferenceChanges: ReadonlyArray<{
    field: PreferenceChange['field'];
    old_value: DbFlag | null;
    new_value: DbFlag;
    at: string;
    source: PreferenceSource;
  }>;
  sessions: ReadonlyArray<Record<string, string | null>>;
  /** The JSON of the tickets and comments the user created, is assigned or wrote, oldest first. */
  tickets: readonly string[];
  comments: readonly string[];
}

/** "Export my data" (log-ins and support access apart) from what the storage read. */
export function accountDataFrom(rows: AccountDataRows): AccountData {
  const { account } = rows;
  return {
    account: {
      id: account.id,
      tenant: account.tenant,
      name: nameIn(account.user) ?? account.email,
      email: account.email,
      role: account.role,
      active: flag(account.active),
      createdAt: account.created_at,
    },
    profile: parseJson<Profile>(rows.profile),
    preferences: parseJson<Preferences>(rows.preferences),
    preferenceChanges: rows.preferenceChanges.map((r) => ({
      field: r.field,
      old: r.old_value === null ? null : flag(r.old_value),
      new: flag(r.new_value),
      at: r.at,
      source: r.source,
    })),
    sessions: rows.sessions.map((s) => ({
      device: s.device ?? null,
      createdAt: s.created_at!,
      revokedAt: s.revoked_at ?? null,
      revokedReason: s.revoked_reason ?? null,
    })),
    tickets: rows.tickets.map((text) => JSON.parse(text) as Ticket),
    comments: rows.comments.map((text) => JSON.parse(text) as Comment),
  };
}
