import type { ClientBase, Pool } from 'pg';
import type {
  Attachment,
  LoginEvent,
  Preferences,
  Ticket,
} from '../../../src-shared/domain/entities';
import type { MutationOutcome } from '../../../src-shared/mutators/types';
import type { ProcessedResult } from '../../../src-shared/protocol/sync';
import type { TicketRef, TicketThread } from '../../../src-shared/protocol/tickets';
import { toProcessedResult } from '../../sync/mutation-result';
import type { AccountData, MailingListEntry, MailingListName } from '../privacy-storage';
import { attachmentTargetRefs, missingAttachmentTarget } from '../record-reads';
import {
  loginEventFrom,
  mutationRecordFrom,
  passwordSetupFrom,
  refreshTokenFrom,
  SESSION_AUTH_SELECT,
  sessionAuthFrom,
  boundWithoutWrite,
  TENANT_SELECT,
  tenantFrom,
  USER_SELECT,
  userFrom,
  type SessionAuthDbRow,
  type SyncClientDbRow,
  type TenantDbRow,
  type UserDbRow,
} from '../row-mapping';
import {
  AlreadyExistsError,
  LastAdminError,
  type DayStatsRow,
  type FailureWindow,
  type MutationRecord,
  type NewOperator,
  type NewRefreshToken,
  type NewSession,
  type NewSupportAccess,
  type NewTenant,
  type NewUser,
  type OperatorLoginEvent,
  type OperatorRow,
  type PasswordSetup,
  type ProcessMutationSpec,
  type PullPage,
  type PullRequestSpec,
  type RecordedLoginEvent,
  type RefreshTokenRow,
  type SeedRecord,
  type SessionAuth,
  type StatusStatsRow,
  type Storage,
  type SupportAccessRead,
  type SupportAccessRow,
  type SyncClient,
  type TenantRow,
  type TicketSearch,
  type UserRow,
} from '../storage';
import { emailKey } from '../email-key';
import {
  changedUser,
  newUserWrites,
  userChangeWrites,
  userRowRefs,
  type UserState,
} from '../user-records';
import { ChangeFeed } from './change-feed';
import { migratePostgres } from './migrations';
import { isUniqueViolation, openPool, transaction } from './pg-database';
import { PgOperators } from './pg-operators';
import { PgPrivacy } from './pg-privacy';
import { pgRecords } from './pg-records';
import { pullPage } from './pg-pull';
import { pgTicketReads } from './pg-ticket-reads';
import { TenantGroupCommit, type ItemOutcome } from './tenant-group-commit';

/** Opens the pool, migrates the database and starts listening for other processes' commits. */
export async function openPostgresStorage(
  url: string,
  onError: (error: unknown) => void = () => undefined,
): Promise<PgStorage> {
  const pool = openPool(url);
  pool.on('error', onError);
  try {
    await migratePostgres(pool);
    const feed = new ChangeFeed(url, onError);
    await feed.start();
    return new PgStorage(pool, feed);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/**
 * The service's storage on PostgreSQL, pooled; every method is one transaction.
 *
 * The change log's order. A pull returns rows with seq > cursor and moves the cursor to the
 * tenant's last seq, so it must never see seq n+1 committed while seq n is still to commit: that
 * change would be skipped for good. In PostgreSQL commit order need not follow seq order, so every
 * transaction that writes a tenant's records first locks that tenant's row
 * (`SELECT … FOR UPDATE`, `lockTenant`), which also holds `last_seq`, and keeps the lock until it
 * commits or rolls back. Writers of one tenant are therefore serialised: seqs are handed out and
 * committed in the same order, a rolled-back writer gives its seqs back (the counter rolls back
 * with it), and every committed state holds exactly the seqs up to `last_seq`. A pull reads its
 * rows and `last_seq` in one REPEATABLE READ snapshot, so what it returns and the cursor it hands
 * out agree. The lock is taken before the mutator's rows are read, which also keeps two mutations
 * of one tenant from both reading the old row (SQLite gets this from its single writer); tenants
 * never wait on each other.
 */
export class PgStorage implements Storage {
  private readonly operators: PgOperators;
  private readonly privacy: PgPrivacy;

  constructor(
    private readonly pool: Pool,
    private readonly feed: ChangeFeed,
  ) {
    this.operators = new PgOperators(pool);
    this.privacy = new PgPrivacy(pool);
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.feed.close();
    await this.pool.end();
  }

  private async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /**
   * A transaction that writes the tenant's change log: it holds the tenant row's lock from its
   * first statement (see the class comment) and pokes watchers when it commits. `fn` tells
   * that it changed the log by calling `moved`.
   */
  private async writeTenant<T>(
    tenantId: string,
    fn: (db: ClientBase, moved: () => void) => Promise<T>,
  ): Promise<T> {
    return transaction(this.pool, async (db) => {
      await lockTenant(db, tenantId);
      let changed = false;
      const result = await fn(db, () => {
        changed = true;
      });
      if (changed) {
        const { rows } = await db.query<{ last_seq: number }>(
          'SELECT last_seq FROM tenants WHERE id = $1',
          [tenantId],
        );
        if (rows[0]) await ChangeFeed.notify(db, tenantId, rows[0].last_seq);
      }
      return result;
    });
  }

  async slugExists(slug: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM tenants WHERE slug = $1', [slug])).length > 0;
  }

  async createTenant(tenant: NewTenant): Promise<void> {
    await transaction(this.pool, async (db) => {
      try {
        await db.query(
          'INSERT INTO tenants (id, slug, epoch, created_at) VALUES ($1, $2, $3, $4)',
          [tenant.id, tenant.slug, tenant.epoch, tenant.now],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new AlreadyExistsError('tenant slug taken');
        throw error;
      }
      // The insert holds the new row's lock until commit: nobody else can write the tenant yet.
      await pgRecords.write(
        db,
        tenant.id,
        { entity: 'company', id: tenant.id, op: 'upsert', data: tenant.company },
        tenant.now,
      );
      await this.insertUser(db, tenant.id, tenant.admin, tenant.now);
    });
  }

  private async tenantWhere(where: string, value: string): Promise<TenantRow | null> {
    return tenantFrom(
      (await this.query<TenantDbRow>(`${TENANT_SELECT} WHERE ${where}`, [value]))[0],
    );
  }

  async getTenantBySlug(slug: string): Promise<TenantRow | null> {
    return this.tenantWhere('t.slug = $1', slug);
  }

  async getTenant(id: string): Promise<TenantRow | null> {
    return this.tenantWhere('t.id = $1', id);
  }

  private async userWhere(
    db: Pick<ClientBase, 'query'>,
    tenantId: string,
    where: string,
    value: string,
  ): Promise<UserRow | null> {
    const { rows } = await db.query<UserDbRow>(
      `${USER_SELECT} WHERE u.tenant_id = $1 AND ${where}`,
      [tenantId, value],
    );
    return userFrom(rows[0]);
  }

  async findUserByEmail(tenantId: string, email: string): Promise<UserRow | null> {
    return this.userWhere(this.pool, tenantId, 'u.email_key = $2', emailKey(email));
  }

  async getUser(tenantId: string, userId: string): Promise<UserRow | null> {
    return this.userWhere(this.pool, tenantId, 'u.id = $2', userId);
  }

  /** Inserts the user and the rows clients sync about them: user, profile, preferences. */
  private async insertUser(
    db: ClientBase,
    tenantId: string,
    user: NewUser,
    now: string,
  ): Promise<void> {
    try {
      await db.query(
        `INSERT INTO users (tenant_id, id, email, email_key, password_hash, role, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)`,
        [tenantId, user.id, user.email, emailKey(user.email), user.passwordHash, user.role, now],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExistsError('email taken');
      throw error;
    }
    const { writes, preferences } = newUserWrites(user, now);
    for (const write of writes) await pgRecords.write(db, tenantId, write, now);
    await this.privacy.logPreferences(db, tenantId, null, preferences, 'account_created', now);
  }

  async createUser(tenantId: string, user: NewUser, now: string): Promise<UserRow> {
    await this.writeTenant(tenantId, async (db, moved) => {
      await this.insertUser(db, tenantId, user, now);
      moved();
    });
    return (await this.getUser(tenantId, user.id))!;
  }

  async updateUser(
    tenantId: string,
    userId: string,
    change: Partial<UserState>,
    now: string,
  ): Promise<UserRow | null> {
    // The tenant's lock (writeTenant) also serialises the last-admin check with other changes.
    return this.writeTenant(tenantId, async (db, moved) => {
      const { rows } = await db.query<UserState>(
        'SELECT role, active, email FROM users WHERE tenant_id = $1 AND id = $2',
        [tenantId, userId],
      );
      if (!rows[0]) return null;
      const next = changedUser(rows[0], change);
      const { role, active, email } = next;
      try {
        await db.query(
          `UPDATE users SET role = $1, active = $2, email = $3, email_key = $4,
             visibility_version = visibility_version + (CASE WHEN role = $1 THEN 0 ELSE 1 END)
           WHERE tenant_id = $5 AND id = $6`,
          [role, active, email, emailKey(email), tenantId, userId],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new AlreadyExistsError('email taken');
        throw error;
      }
      if (next.losesAdmin && (await countActiveAdmins(db, tenantId)) === 0) {
        throw new LastAdminError();
      }
      const reader = await pgRecords.reader(db, tenantId, userRowRefs(userId));
      for (const write of userChangeWrites(reader, userId, next, now)) {
        await pgRecords.write(db, tenantId, write, now);
      }
      if (!active) await revokeUserSessions(db, tenantId, userId, 'account_disabled', now);
      moved();
      return this.userWhere(db, tenantId, 'u.id = $2', userId);
    });
  }

  async changePassword(
    tenantId: string,
    userId: string,
    passwordHash: string,
    keepSessionId: string,
    now: string,
  ): Promise<void> {
    await transaction(this.pool, async (db) => {
      await db.query('UPDATE users SET password_hash = $1 WHERE tenant_id = $2 AND id = $3', [
        passwordHash,
        tenantId,
        userId,
      ]);
      await db.query(
        `UPDATE sessions SET revoked_at = $1, revoked_reason = 'password_changed'
         WHERE tenant_id = $2 AND user_id = $3 AND id <> $4 AND revoked_at IS NULL`,
        [now, tenantId, userId, keepSessionId],
      );
    });
  }

  async requirePasswordSetup(
    tenantId: string,
    userId: string,
    passwordHash: string,
    setup: PasswordSetup,
  ): Promise<void> {
    await transaction(this.pool, async (db) => {
      await db.query(
        `UPDATE users SET password_hash = $1, must_set_password = TRUE
         WHERE tenant_id = $2 AND id = $3`,
        [passwordHash, tenantId, userId],
      );
      await db.query(
        `INSERT INTO password_setup_tokens (tenant_id, user_id, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET token_hash = excluded.token_hash,
           created_at = excluded.created_at, expires_at = excluded.expires_at`,
        [tenantId, userId, setup.tokenHash, setup.createdAt, setup.expiresAt],
      );
      await revokeUserSessions(db, tenantId, userId, 'password_reset', setup.createdAt);
    });
  }

  async getPasswordSetup(tenantId: string, userId: string): Promise<PasswordSetup | null> {
    const [row] = await this.query<{ token_hash: string; created_at: string; expires_at: string }>(
      `SELECT token_hash, created_at, expires_at FROM password_setup_tokens
       WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
    return passwordSetupFrom(row);
  }

  async completePasswordSetup(
    tenantId: string,
    userId: string,
    tokenHash: string,
    passwordHash: string,
  ): Promise<boolean> {
    return transaction(this.pool, async (db) => {
      const used = await db.query(
        `DELETE FROM password_setup_tokens
         WHERE tenant_id = $1 AND user_id = $2 AND token_hash = $3`,
        [tenantId, userId, tokenHash],
      );
      if (used.rowCount !== 1) return false;
      await db.query(
        `UPDATE users SET password_hash = $1, must_set_password = FALSE
         WHERE tenant_id = $2 AND id = $3`,
        [passwordHash, tenantId, userId],
      );
      return true;
    });
  }

  async createSession(session: NewSession, firstToken: NewRefreshToken): Promise<void> {
    await transaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO sessions (tenant_id, id, user_id, device, created_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [session.tenantId, session.id, session.userId, session.device, session.createdAt],
      );
      await insertRefreshToken(db, session.tenantId, firstToken);
    });
  }

  async getSessionAuth(sessionId: string): Promise<SessionAuth | null> {
    const [row] = await this.query<SessionAuthDbRow>(`${SESSION_AUTH_SELECT} WHERE s.id = $1`, [
      sessionId,
    ]);
    return sessionAuthFrom(row);
  }

  async revokeSession(sessionId: string, reason: string, now: string): Promise<void> {
    await this.query(
      'UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL',
      [now, reason, sessionId],
    );
  }

  async revokeUserSessions(
    tenantId: string,
    userId: string,
    reason: string,
    now: string,
  ): Promise<void> {
    await revokeUserSessions(this.pool, tenantId, userId, reason, now);
  }

  async getRefreshToken(id: string): Promise<RefreshTokenRow | null> {
    const [row] = await this.query<Record<string, string | null>>(
      `SELECT t.*, s.user_id, c.issued_at AS child_issued_at, c.used_at AS child_used_at
       FROM refresh_tokens t
       JOIN sessions s ON s.tenant_id = t.tenant_id AND s.id = t.session_id
       LEFT JOIN refresh_tokens c ON c.tenant_id = t.tenant_id AND c.id = t.child_id
       WHERE t.id = $1`,
      [id],
    );
    return refreshTokenFrom(row);
  }

  async rotateRefreshToken(
    parentId: string,
    clientId: string,
    child: NewRefreshToken,
    now: string,
  ): Promise<'rotated' | 'already_used'> {
    return transaction(this.pool, async (db) => {
      const claimed = await db.query<{ tenant_id: string }>(
        `UPDATE refresh_tokens SET used_at = $1, used_by_client = $2, child_id = $3
         WHERE id = $4 AND used_at IS NULL RETURNING tenant_id`,
        [now, clientId, child.id, parentId],
      );
      const tenantId = claimed.rows[0]?.tenant_id;
      if (tenantId === undefined) return 'already_used';
      await insertRefreshToken(db, tenantId, child);
      return 'rotated';
    });
  }

  async recordLoginEvent(event: RecordedLoginEvent): Promise<void> {
    await this.query(
      `INSERT INTO login_events
         (id, tenant_id, tenant_slug, email_key, user_id, ip, user_agent, client_id, success, reason, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        event.id,
        event.tenantId,
        event.tenantSlug,
        emailKey(event.email),
        event.userId,
        event.ip,
        event.userAgent,
        event.clientId,
        event.success,
        event.reason,
        event.at,
      ],
    );
  }

  private async failures(where: string, params: unknown[]): Promise<FailureWindow> {
    const [row] = await this.query<{ count: number; oldestAt: string | null }>(
      `SELECT count(*) AS count, min(at) AS "oldestAt" FROM login_events
       WHERE ${where} AND reason IN ('bad_credentials', 'wrong_current_password')`,
      params,
    );
    return row!;
  }

  async failuresForAccount(
    tenantSlug: string,
    email: string,
    since: string,
  ): Promise<FailureWindow> {
    return this.failures('tenant_slug = $1 AND email_key = $2 AND at > $3', [
      tenantSlug,
      emailKey(email),
      since,
    ]);
  }

  async failuresForIp(ip: string, since: string): Promise<FailureWindow> {
    return this.failures('ip = $1 AND at > $2', [ip, since]);
  }

  async listLoginEvents(
    tenantId: string,
    userId: string | null,
    limit: number,
  ): Promise<LoginEvent[]> {
    const rows = await this.query<Record<string, string | boolean | null>>(
      `SELECT * FROM login_events WHERE tenant_id = $1 AND ($2::text IS NULL OR user_id = $2)
       ORDER BY at DESC LIMIT $3`,
      [tenantId, userId, limit],
    );
    return rows.map(loginEventFrom);
  }

  async bindClient(
    tenantId: string,
    clientId: string,
    userId: string,
    now: string,
  ): Promise<SyncClient> {
    const [known] = await this.query<SyncClientDbRow>(
      `SELECT user_id, last_mutation_id, last_seen_at FROM sync_clients
       WHERE tenant_id = $1 AND client_id = $2`,
      [tenantId, clientId],
    );
    const bound = boundWithoutWrite(known, userId, now);
    if (bound) return bound;
    const [row] = await this.query<{ user_id: string; last_mutation_id: number }>(
      `WITH bound AS (
         INSERT INTO sync_clients (tenant_id, client_id, user_id, last_seen_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, client_id) DO UPDATE SET last_seen_at = excluded.last_seen_at
         WHERE sync_clients.user_id = excluded.user_id
         RETURNING user_id, last_mutation_id)
       SELECT user_id, last_mutation_id FROM bound
       UNION ALL
       SELECT user_id, last_mutation_id FROM sync_clients
       WHERE tenant_id = $1 AND client_id = $2 AND NOT EXISTS (SELECT 1 FROM bound)`,
      [tenantId, clientId, userId, now],
    );
    return { userId: row!.user_id, lastMutationId: row!.last_mutation_id };
  }

  async getMutationRecord(
    tenantId: string,
    clientId: string,
    mutationId: number,
  ): Promise<MutationRecord | null> {
    const [row] = await this.query<{ hash: string; result: string | null }>(
      `SELECT hash, result FROM client_mutations
       WHERE tenant_id = $1 AND client_id = $2 AND mutation_id = $3`,
      [tenantId, clientId, mutationId],
    );
    return mutationRecordFrom(row);
  }

  /**
   * Group commit, as SQLite's service has: the mutations of a tenant that arrive while its
   * previous group commits go together in the next transaction (`TenantGroupCommit`), each in a
   * savepoint of its own, so that one lock hand-over and one WAL flush serve them all. A mutation
   * that throws rolls back its own savepoint only. One client's mutations are never in the same
   * group: SyncService awaits each before sending the next.
   */
  processMutation(spec: ProcessMutationSpec): Promise<ProcessedResult> {
    return this.mutationGroups.submit(spec.tenantId, spec);
  }

  private readonly mutationGroups = new TenantGroupCommit<ProcessMutationSpec, ProcessedResult>(
    (tenantId, specs) =>
      this.writeTenant(tenantId, async (db, moved) => {
        const outcomes: ItemOutcome<ProcessedResult>[] = [];
        for (const spec of specs) {
          await db.query('SAVEPOINT mutation');
          try {
            outcomes.push({ result: await this.applyMutation(db, spec, moved) });
            await db.query('RELEASE SAVEPOINT mutation');
          } catch (error) {
            await db.query('ROLLBACK TO SAVEPOINT mutation');
            outcomes.push({ error });
          }
        }
        return outcomes;
      }),
  );

  private async applyMutation(
    db: ClientBase,
    spec: ProcessMutationSpec,
    moved: () => void,
  ): Promise<ProcessedResult> {
    const { tenantId, clientId, mutationId, ctx } = spec;
    const { rows } = await db.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM sync_clients WHERE tenant_id = $1 AND client_id = $2',
      [tenantId, clientId],
    );
    if (!rows[0] || rows[0].last_mutation_id !== mutationId - 1) {
      throw new Error(`mutation ${mutationId} out of order for client`);
    }
    let outcome: MutationOutcome;
    if ('run' in spec.prepared) {
      const reader = await pgRecords.reader(db, tenantId, spec.prepared.reads);
      outcome = spec.prepared.run(reader, spec.base);
    } else {
      outcome = spec.prepared;
    }
    if (outcome.ok) {
      for (const w of outcome.writes) {
        if (w.entity === 'preferences' && w.op === 'upsert') {
          const before = (await pgRecords.get(
            db,
            tenantId,
            'preferences',
            w.id,
          )) as Preferences | null;
          await this.privacy.logPreferences(
            db,
            tenantId,
            before,
            w.data as Preferences,
            'sync',
            ctx.now,
          );
        }
        await pgRecords.write(db, tenantId, w, ctx.now);
      }
      if (outcome.writes.length) moved();
    }
    const result = toProcessedResult(mutationId, outcome);
    await db.query(
      `INSERT INTO client_mutations (tenant_id, client_id, mutation_id, hash, result, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, clientId, mutationId, spec.hash, JSON.stringify(result), ctx.now],
    );
    await db.query(
      `UPDATE sync_clients SET last_mutation_id = $1, last_seen_at = $2
       WHERE tenant_id = $3 AND client_id = $4`,
      [mutationId, ctx.now, tenantId, clientId],
    );
    return result;
  }

  async pull(spec: PullRequestSpec): Promise<PullPage> {
    // One snapshot for the rows and `last_seq` (see the class comment).
    return transaction(
      this.pool,
      (db) => pullPage(db, spec),
      'ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async ticketThread(tenantId: string, ref: TicketRef): Promise<TicketThread | null> {
    return pgTicketReads.thread(this.pool, tenantId, ref);
  }

  async searchTickets(tenantId: string, search: TicketSearch): Promise<Ticket[]> {
    return pgTicketReads.search(this.pool, tenantId, search);
  }

  watch(tenantId: string, listener: (lastSeq: number) => void): () => void {
    return this.feed.watch(tenantId, listener);
  }

  async createOperator(operator: NewOperator): Promise<void> {
    await this.operators.createOperator(operator);
  }

  async findOperatorByEmail(email: string): Promise<OperatorRow | null> {
    return this.operators.findOperatorByEmail(email);
  }

  async getOperator(id: string): Promise<OperatorRow | null> {
    return this.operators.getOperator(id);
  }

  async recordOperatorLogin(event: OperatorLoginEvent): Promise<void> {
    await this.operators.recordOperatorLogin(event);
  }

  async operatorFailuresForEmail(email: string, since: string): Promise<FailureWindow> {
    return this.operators.operatorFailures('email_key', emailKey(email), since);
  }

  async operatorFailuresForIp(ip: string, since: string): Promise<FailureWindow> {
    return this.operators.operatorFailures('ip', ip, since);
  }

  async openSupportAccess(access: NewSupportAccess): Promise<SupportAccessRead | null> {
    return this.operators.openSupportAccess(access);
  }

  async listSupportAccess(tenantId: string, limit: number): Promise<SupportAccessRow[]> {
    return this.operators.listSupportAccess(tenantId, limit);
  }

  async seedRecords(tenantId: string, records: SeedRecord[], now: string): Promise<void> {
    await this.writeTenant(tenantId, async (db, moved) => {
      await pgRecords.writeMany(db, tenantId, records, now);
      if (records.length) moved();
    });
  }

  async ticketStats(
    tenantId: string | null,
    sinceDay: string,
  ): Promise<{ byDay: DayStatsRow[]; byStatus: StatusStatsRow[] }> {
    // `json`, not `jsonb`: jsonb refuses text that JSON allows (\u0000, lone surrogates). Byte
    // order (COLLATE "C") as SQLite sorts, whatever the database's locale.
    const scope = tenantId === null ? [] : [tenantId];
    const query = (byDay: boolean) =>
      this.query<DayStatsRow>(
        `SELECT ${byDay ? `substr(data::json ->> 'createdAt', 1, 10) COLLATE "C" AS day,` : ''}
                (data::json ->> 'status') COLLATE "C" AS status,
                count(*) AS tickets,
                count(DISTINCT data::json ->> 'requesterId') AS requesters
         FROM records
         WHERE ${scope.length ? 'tenant_id = $2 AND' : ''} entity = 'ticket' AND NOT deleted
           AND (data::json ->> 'createdAt') COLLATE "C" >= $1
         GROUP BY ${byDay ? 'day, status ORDER BY day, status' : 'status ORDER BY status'}`,
        [sinceDay, ...scope],
      );
    return {
      byDay: await query(true),
      byStatus: await query(false),
    };
  }

  async countActiveUsers(tenantId: string | null, since: string): Promise<number> {
    const scope = tenantId === null ? [] : [tenantId];
    const [row] = await this.query<{ n: number }>(
      `SELECT count(DISTINCT user_id) AS n FROM login_events
       WHERE ${scope.length ? 'tenant_id = $2 AND' : ''} success AND at >= $1`,
      [since, ...scope],
    );
    return row!.n;
  }

  async purgeLoginEvents(before: string): Promise<number> {
    return this.privacy.purgeLoginEvents(before);
  }

  async mailingList(list: MailingListName): Promise<MailingListEntry[]> {
    return this.privacy.mailingList(list);
  }

  async accountData(tenantId: string, userId: string): Promise<AccountData | null> {
    return this.privacy.accountData(tenantId, userId);
  }

  async addAttachment(
    tenantId: string,
    attachment: Attachment,
    content: Buffer,
  ): Promise<'added' | 'no_ticket' | 'no_comment'> {
    return this.writeTenant(tenantId, async (db, moved) => {
      const rows = await pgRecords.reader(db, tenantId, attachmentTargetRefs(attachment));
      const missing = missingAttachmentTarget(rows, attachment);
      if (missing) return missing;
      await db.query('INSERT INTO attachment_contents (tenant_id, id, data) VALUES ($1, $2, $3)', [
        tenantId,
        attachment.id,
        content,
      ]);
      await pgRecords.write(
        db,
        tenantId,
        { entity: 'attachment', id: attachment.id, op: 'upsert', data: attachment },
        attachment.createdAt,
      );
      moved();
      return 'added';
    });
  }

  async getAttachment(
    tenantId: string,
    id: string,
  ): Promise<{ attachment: Attachment; content: Buffer } | null> {
    const [row] = await this.query<{ data: string; content: Buffer }>(
      `SELECT r.data, c.data AS content FROM records r
       JOIN attachment_contents c ON c.tenant_id = r.tenant_id AND c.id = r.id
       WHERE r.tenant_id = $1 AND r.entity = 'attachment' AND r.id = $2 AND NOT r.deleted`,
      [tenantId, id],
    );
    return row ? { attachment: JSON.parse(row.data) as Attachment, content: row.content } : null;
  }

  async purge(before: string, clientsBefore: string): Promise<void> {
    await transaction(this.pool, async (db) => {
      const { rows: purged } = await db.query<{ tenant_id: string; seq: number }>(
        `SELECT tenant_id, max(seq) AS seq FROM records
         WHERE deleted AND changed_at < $1 GROUP BY tenant_id ORDER BY tenant_id`,
        [before],
      );
      // Each tenant's lock first, in one order: a writer of the tenant cannot revive a tombstone
      // this is deleting, and two purges cannot deadlock.
      for (const p of purged) {
        await lockTenant(db, p.tenant_id);
        await db.query('UPDATE tenants SET purged_seq = greatest(purged_seq, $1) WHERE id = $2', [
          p.seq,
          p.tenant_id,
        ]);
        await db.query('DELETE FROM records WHERE tenant_id = $1 AND deleted AND changed_at < $2', [
          p.tenant_id,
          before,
        ]);
      }
      await db.query('UPDATE client_mutations SET result = NULL WHERE processed_at < $1', [before]);
      await db.query('DELETE FROM sync_clients WHERE last_seen_at < $1', [clientsBefore]);
      await db.query(
        `DELETE FROM client_mutations m WHERE NOT EXISTS (SELECT 1 FROM sync_clients c
           WHERE c.tenant_id = m.tenant_id AND c.client_id = m.client_id)`,
      );
    });
  }
}

async function countActiveAdmins(db: Pick<ClientBase, 'query'>, tenantId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*) AS n FROM users WHERE tenant_id = $1 AND role = 'admin' AND active",
    [tenantId],
  );
  return rows[0]!.n;
}

/** The tenant's row lock, held to the end of the transaction: see PgStorage's comment. */
async function lockTenant(db: ClientBase, tenantId: string): Promise<void> {
  await db.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
}

async function revokeUserSessions(
  db: Pick<ClientBase, 'query'>,
  tenantId: string,
  userId: string,
  reason: string,
  now: string,
): Promise<void> {
  await db.query(
    `UPDATE sessions SET revoked_at = $1, revoked_reason = $2
     WHERE tenant_id = $3 AND user_id = $4 AND revoked_at IS NULL`,
    [now, reason, tenantId, userId],
  );
}

async function insertRefreshToken(
  db: ClientBase,
  tenantId: string,
  token: NewRefreshToken,
): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (tenant_id, id, session_id, issued_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [tenantId, token.id, token.sessionId, token.issuedAt, token.expiresAt],
  );
}
