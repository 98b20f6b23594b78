import type { Database } from 'better-sqlite3';
import type { Comment, Preferences, Profile, Ticket } from '../../../src-shared/domain/entities';
import type { Role } from '../../../src-shared/domain/enums';
import type { PreferenceChange } from '../../../src-shared/protocol/account';
import type {
  AccountData,
  MailingListEntry,
  MailingListName,
  PreferenceSource,
} from '../privacy-storage';

const PREFERENCE_FIELDS = ['newsletter', 'productUpdates'] as const;

/** Whether one account's preferences let the service send it a mailing of the list. */
const WANTS: Record<MailingListName, (p: Preferences | null) => boolean> = {
  newsletter: (p) => p?.newsletter === true,
  product: (p) => p?.productUpdates !== false,
};

const parse = <T>(text: string | null): T | null =>
  text === null ? null : (JSON.parse(text) as T);

/**
 * The SQLite side of the privacy promises: the preference change log, log-in retention, the
 * mailing list and the data export. Synchronous: it runs inside the storage's transactions.
 */
export class PrivacyStore {
  constructor(private readonly db: Database) {}

  /** Records each field of `after` that differs from `before` (all of them for a new account). */
  logPreferences(
    tenantId: string,
    before: Preferences | null,
    after: Preferences,
    source: PreferenceSource,
    at: string,
  ): void {
    const insert = this.db.prepare(
      `INSERT INTO preference_changes (tenant_id, user_id, field, old_value, new_value, at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const field of PREFERENCE_FIELDS) {
      const old = before === null ? null : before[field];
      if (old === after[field]) continue;
      const bit = (value: boolean | null) => (value === null ? null : value ? 1 : 0);
      insert.run(tenantId, after.id, field, bit(old), bit(after[field]), at, source);
    }
  }

  purgeLoginEvents(before: string): number {
    return this.db.prepare('DELETE FROM login_events WHERE at < ?').run(before).changes;
  }

  /**
   * Active accounts whose preferences allow the list, across tenants. A person with several
   * accounts is listed once, and only if none of their active accounts declined.
   */
  mailingList(list: MailingListName): MailingListEntry[] {
    const rows = this.db
      .prepare(
        `SELECT u.email, u.email_key, r.data AS user, p.data AS preferences FROM users u
         LEFT JOIN records r ON r.tenant_id = u.tenant_id AND r.entity = 'user' AND r.id = u.id
           AND r.deleted = 0
         LEFT JOIN records p ON p.tenant_id = u.tenant_id AND p.entity = 'preferences'
           AND p.id = u.id AND p.deleted = 0
         WHERE u.active = 1
         ORDER BY u.email_key, u.created_at`,
      )
      .all() as Array<{
      email: string;
      email_key: string;
      user: string | null;
      preferences: string | null;
    }>;
    const byEmail = new Map<string, MailingListEntry | null>();
    for (const row of rows) {
      const wanted = WANTS[list](parse<Preferences>(row.preferences));
      const seen = byEmail.get(row.email_key);
      if (!wanted) byEmail.set(row.email_key, null);
      else if (seen === undefined) {
        const name = parse<{ name?: string }>(row.user)?.name ?? row.email;
        byEmail.set(row.email_key, { email: row.email, name });
      }
    }
    return [...byEmail.values()].filter((entry) => entry !== null);
  }

  /** Everything held about the user except log-ins, read in one transaction. */
  accountData(tenantId: string, userId: string): AccountData | null {
    return this.db.transaction(() => {
      const account = this.db
        .prepare(
          `SELECT u.id, t.slug AS tenant, u.email, u.role, u.active, u.created_at, r.data AS user
           FROM users u JOIN tenants t ON t.id = u.tenant_id
           LEFT JOIN records r ON r.tenant_id = u.tenant_id AND r.entity = 'user' AND r.id = u.id
           WHERE u.tenant_id = ? AND u.id = ?`,
        )
        .get(tenantId, userId) as
        | {
            id: string;
            tenant: string;
            email: string;
            role: Role;
            active: number;
            created_at: string;
            user: string | null;
          }
        | undefined;
      if (!account) return null;
      const own = (entity: string) =>
        this.db
          .prepare(
            'SELECT data FROM records WHERE tenant_id = ? AND entity = ? AND id = ? AND deleted = 0',
          )
          .pluck()
          .get(tenantId, entity, userId) as string | undefined;
      const live = (entity: string, fields: string[]) =>
        (
          this.db
            .prepare(
              `SELECT data FROM records WHERE tenant_id = ? AND entity = ? AND deleted = 0
               AND (${fields.map((f) => `json_extract(data, '$.${f}') = @user`).join(' OR ')})
               ORDER BY json_extract(data, '$.createdAt')`,
            )
            .pluck()
            .all(tenantId, entity, { user: userId }) as string[]
        ).map((data) => JSON.parse(data) as unknown);
      return {
        account: {
          id: account.id,
          tenant: account.tenant,
          name: parse<{ name?: string }>(account.user)?.name ?? account.email,
          email: account.email,
          role: account.role,
          active: account.active === 1,
          createdAt: account.created_at,
        },
        profile: parse<Profile>(own('profile') ?? null),
        preferences: parse<Preferences>(own('preferences') ?? null),
        preferenceChanges: this.preferenceChanges(tenantId, userId),
        sessions: (
          this.db
            .prepare(
              `SELECT device, created_at, revoked_at, revoked_reason FROM sessions
               WHERE tenant_id = ? AND user_id = ? ORDER BY created_at`,
            )
            .all(tenantId, userId) as Array<Record<string, string | null>>
        ).map((s) => ({
          device: s.device ?? null,
          createdAt: s.created_at!,
          revokedAt: s.revoked_at ?? null,
          revokedReason: s.revoked_reason ?? null,
        })),
        tickets: live('ticket', ['createdBy', 'assigneeId']) as Ticket[],
        comments: live('comment', ['authorId']) as Comment[],
      };
    })();
  }

  private preferenceChanges(tenantId: string, userId: string): PreferenceChange[] {
    const rows = this.db
      .prepare(
        `SELECT field, old_value, new_value, at, source FROM preference_changes
         WHERE tenant_id = ? AND user_id = ? ORDER BY at, id`,
      )
      .all(tenantId, userId) as Array<{
      field: PreferenceChange['field'];
      old_value: number | null;
      new_value: number;
      at: string;
      source: PreferenceSource;
    }>;
    return rows.map((r) => ({
      field: r.field,
      old: r.old_value === null ? null : r.old_value === 1,
      new: r.new_value === 1,
      at: r.at,
      source: r.source,
    }));
  }
}
