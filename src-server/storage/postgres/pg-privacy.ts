import type { ClientBase, Pool } from 'pg';
import type { Comment, Preferences, Profile, Ticket } from '../../../src-shared/domain/entities';
import type { Role } from '../../../src-shared/domain/enums';
import type { PreferenceChange } from '../../../src-shared/protocol/account';
import type {
  AccountData,
  MailingListEntry,
  MailingListName,
  PreferenceSource,
} from '../privacy-storage';
import { transaction } from './pg-database';

const PREFERENCE_FIELDS = ['newsletter', 'productUpdates'] as const;

/** Whether one account's preferences let the service send it a mailing of the list. */
const WANTS: Record<MailingListName, (p: Preferences | null) => boolean> = {
  newsletter: (p) => p?.newsletter === true,
  product: (p) => p?.productUpdates !== false,
};

const parse = <T>(text: string | null | undefined): T | null =>
  text === null || text === undefined ? null : (JSON.parse(text) as T);

/**
 * The PostgreSQL side of the privacy promises: the preference change log, log-in retention, the
 * mailing list and the data export.
 */
export class PgPrivacy {
  constructor(private readonly pool: Pool) {}

  /** Records each field of `after` that differs from `before`; inside the caller's transaction. */
  async logPreferences(
    db: ClientBase,
    tenantId: string,
    before: Preferences | null,
    after: Preferences,
    source: PreferenceSource,
    at: string,
  ): Promise<void> {
    for (const field of PREFERENCE_FIELDS) {
      const old = before === null ? null : before[field];
      if (old === after[field]) continue;
      await db.query(
        `INSERT INTO preference_changes (tenant_id, user_id, field, old_value, new_value, at, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [tenantId, after.id, field, old, after[field], at, source],
      );
    }
  }

  async purgeLoginEvents(before: string): Promise<number> {
    const result = await this.pool.query('DELETE FROM login_events WHERE at < $1', [before]);
    return result.rowCount ?? 0;
  }

  /**
   * Active accounts whose preferences allow the list, across tenants. A person with several
   * accounts is listed once, and only if none of their active accounts declined.
   */
  async mailingList(list: MailingListName): Promise<MailingListEntry[]> {
    const { rows } = await this.pool.query<{
      email: string;
      email_key: string;
      user: string | null;
      preferences: string | null;
    }>(
      `SELECT u.email, u.email_key, r.data AS user, p.data AS preferences FROM users u
       LEFT JOIN records r ON r.tenant_id = u.tenant_id AND r.entity = 'user' AND r.id = u.id
         AND NOT r.deleted
       LEFT JOIN records p ON p.tenant_id = u.tenant_id AND p.entity = 'preferences'
         AND p.id = u.id AND NOT p.deleted
       WHERE u.active
       ORDER BY u.email_key, u.created_at`,
    );
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

  /** Everything held about the user except log-ins, read in one snapshot. */
  async accountData(tenantId: string, userId: string): Promise<AccountData | null> {
    return transaction(
      this.pool,
      async (db) => {
        const { rows } = await db.query<{
          id: string;
          tenant: string;
          email: string;
          role: Role;
          active: boolean;
          created_at: string;
          user: string | null;
        }>(
          `SELECT u.id, t.slug AS tenant, u.email, u.role, u.active, u.created_at, r.data AS user
           FROM users u JOIN tenants t ON t.id = u.tenant_id
           LEFT JOIN records r ON r.tenant_id = u.tenant_id AND r.entity = 'user' AND r.id = u.id
           WHERE u.tenant_id = $1 AND u.id = $2`,
          [tenantId, userId],
        );
        const account = rows[0];
        if (!account) return null;
        const own = async (entity: string) =>
          (
            await db.query<{ data: string }>(
              `SELECT data FROM records
               WHERE tenant_id = $1 AND entity = $2 AND id = $3 AND NOT deleted`,
              [tenantId, entity, userId],
            )
          ).rows[0]?.data;
        // `json`, not `jsonb`: jsonb refuses text that JSON allows (\u0000, lone surrogates).
        const live = async (entity: string, fields: string[]) =>
          (
            await db.query<{ data: string }>(
              `SELECT data FROM records WHERE tenant_id = $1 AND entity = $2 AND NOT deleted
               AND (${fields.map((f) => `data::json ->> '${f}' = $3`).join(' OR ')})
               ORDER BY data::json ->> 'createdAt' COLLATE "C"`,
              [tenantId, entity, userId],
            )
          ).rows.map((r) => JSON.parse(r.data) as unknown);
        const sessions = await db.query<Record<string, string | null>>(
          `SELECT device, created_at, revoked_at, revoked_reason FROM sessions
           WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at`,
          [tenantId, userId],
        );
        return {
          account: {
            id: account.id,
            tenant: account.tenant,
            name: parse<{ name?: string }>(account.user)?.name ?? account.email,
            email: account.email,
            role: account.role,
            active: account.active,
            createdAt: account.created_at,
          },
          profile: parse<Profile>(await own('profile')),
          preferences: parse<Preferences>(await own('preferences')),
          preferenceChanges: await preferenceChanges(db, tenantId, userId),
          sessions: sessions.rows.map((s) => ({
            device: s.device ?? null,
            createdAt: s.created_at!,
            revokedAt: s.revoked_at ?? null,
            revokedReason: s.revoked_reason ?? null,
          })),
          tickets: (await live('ticket', ['createdBy', 'assigneeId'])) as Ticket[],
          comments: (await live('comment', ['authorId'])) as Comment[],
        };
      },
      'ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }
}

async function preferenceChanges(
  db: ClientBase,
  tenantId: string,
  userId: string,
): Promise<PreferenceChange[]> {
  const { rows } = await db.query<{
    field: PreferenceChange['field'];
    old_value: boolean | null;
    new_value: boolean;
    at: string;
    source: PreferenceSource;
  }>(
    `SELECT field, old_value, new_value, at, source FROM preference_changes
     WHERE tenant_id = $1 AND user_id = $2 ORDER BY at, id`,
    [tenantId, userId],
  );
  return rows.map((r) => ({
    field: r.field,
    old: r.old_value,
    new: r.new_value,
    at: r.at,
    source: r.source,
  }));
}
