import type { Database } from 'better-sqlite3';
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
    const bit = (value: boolean | null) => (value === null ? null : value ? 1 : 0);
    for (const change of preferenceFieldChanges(before, after)) {
      insert.run(tenantId, after.id, change.field, bit(change.old), bit(change.new), at, source);
    }
  }

  purgeLoginEvents(before: string): number {
    return this.db.prepare('DELETE FROM login_events WHERE at < ?').run(before).changes;
  }

  mailingList(list: MailingListName): MailingListEntry[] {
    const rows = this.db.prepare(MAILING_LIST_SELECT).all() as MailingListDbRow[];
    return mailingListFrom(rows, list);
  }

  /** Everything held about the user except log-ins, read in one transaction. */
  accountData(tenantId: string, userId: string): AccountData | null {
    return this.db.transaction(() => {
      const account = this.db
        .prepare(`${ACCOUNT_SELECT} WHERE u.tenant_id = ? AND u.id = ?`)
        .get(tenantId, userId) as AccountDataRows['account'] | undefined;
      if (!account) return null;
      const own = (entity: string) =>
        this.db
          .prepare(
            'SELECT data FROM records WHERE tenant_id = ? AND entity = ? AND id = ? AND deleted = 0',
          )
          .pluck()
          .get(tenantId, entity, userId) as string | undefined;
      const live = (entity: string, fields: string[]) =>
        this.db
          .prepare(
            `SELECT data FROM records WHERE tenant_id = ? AND entity = ? AND deleted = 0
             AND (${fields.map((f) => `json_extract(data, '$.${f}') = @user`).join(' OR ')})
             ORDER BY json_extract(data, '$.createdAt')`,
          )
          .pluck()
          .all(tenantId, entity, { user: userId }) as string[];
      return accountDataFrom({
        account,
        profile: own('profile'),
        preferences: own('preferences'),
        preferenceChanges: this.db
          .prepare(
            `SELECT field, old_value, new_value, at, source FROM preference_changes
             WHERE tenant_id = ? AND user_id = ? ORDER BY at, id`,
          )
          .all(tenantId, userId) as AccountDataRows['preferenceChanges'],
        sessions: this.db
          .prepare(
            `SELECT device, created_at, revoked_at, revoked_reason FROM sessions
             WHERE tenant_id = ? AND user_id = ? ORDER BY created_at`,
          )
          .all(tenantId, userId) as AccountDataRows['sessions'],
        tickets: live('ticket', ['createdBy', 'assigneeId']),
        comments: live('comment', ['authorId']),
      });
    })();
  }
}
