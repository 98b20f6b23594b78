import type { ClientBase, Pool } from 'pg';
import type { Preferences } from '../../../src-shared/domain/entities';
import type {
  AccountData,
  MailingListEntry,
  MailingListName,
  PreferenceSource,
} from '../privacy-storage';
import {
  ACCOUNT_SELECT,
  accountDataFrom,
  MAILING_LIST_SELECT,
  mailingListFrom,
  preferenceFieldChanges,
  type AccountDataRows,
  type MailingListDbRow,
} from '../privacy-rows';
import { transaction } from './pg-database';

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
    for (const change of preferenceFieldChanges(before, after)) {
      await db.query(
        `INSERT INTO preference_changes (tenant_id, user_id, field, old_value, new_value, at, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [tenantId, after.id, change.field, change.old, change.new, at, source],
      );
    }
  }

  async purgeLoginEvents(before: string): Promise<number> {
    const result = await this.pool.query('DELETE FROM login_events WHERE at < $1', [before]);
    return result.rowCount ?? 0;
  }

  async mailingList(list: MailingListName): Promise<MailingListEntry[]> {
    const { rows } = await this.pool.query<MailingListDbRow>(MAILING_LIST_SELECT);
    return mailingListFrom(rows, list);
  }

  /** Everything held about the user except log-ins, read in one snapshot. */
  async accountData(tenantId: string, userId: string): Promise<AccountData | null> {
    return transaction(
      this.pool,
      async (db) => {
        const { rows } = await db.query<AccountDataRows['account']>(
          `${ACCOUNT_SELECT} WHERE u.tenant_id = $1 AND u.id = $2`,
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
          ).rows.map((r) => r.data);
        const sessions = await db.query<Record<string, string | null>>(
          `SELECT device, created_at, revoked_at, revoked_reason FROM sessions
           WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at`,
          [tenantId, userId],
        );
        const preferenceChanges = await db.query<AccountDataRows['preferenceChanges'][number]>(
          `SELECT field, old_value, new_value, at, source FROM preference_changes
           WHERE tenant_id = $1 AND user_id = $2 ORDER BY at, id`,
          [tenantId, userId],
        );
        return accountDataFrom({
          account,
          profile: await own('profile'),
          preferences: await own('preferences'),
          preferenceChanges: preferenceChanges.rows,
          sessions: sessions.rows,
          tickets: await live('ticket', ['createdBy', 'assigneeId']),
          comments: await live('comment', ['authorId']),
        });
      },
      'ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }
}
