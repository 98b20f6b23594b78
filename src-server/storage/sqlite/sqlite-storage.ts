import { EventEmitter } from 'node:events';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
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
import { emailKey } from '../email-key';
import {
  extrapolatedRemaining,
  REMAINING_EXACT_UP_TO,
  shapePullPage,
  type PullDbRow,
} from '../pull-page';
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
  type FailureWindow,
  type MutationRecord,
  type NewOperator,
  type NewRefreshToken,
  type NewSession,
  type NewTenant,
  type NewUser,
  type NewSupportAccess,
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
  type DayStatsRow,
  type StatusStatsRow,
  type SupportAccessRead,
  type SupportAccessRow,
  type Storage,
  type SyncClient,
  type TenantRow,
  type TicketSearch,
  type UserRow,
} from '../storage';
import type { AccountData, MailingListEntry, MailingListName } from '../privacy-storage';
import { changedUser, newUserWrites, userChangeWrites, type UserState } from '../user-records';
import { AttachmentStore } from './attachment-store';
import { migrate } from './migrations';
import { OperatorTables } from './operator-tables';
import { PrivacyStore } from './privacy-store';
import { RecordWriter } from './records';
import { TicketReads } from './ticket-reads';

/**
 * A pull's `updatedSince` (@since): tickets last updated before it, and the comments and
 * attachments of such tickets, are left out. Tombstones stay (they carry no time).
 */
const UPDATED_SINCE = `CASE
  WHEN entity = 'ticket' THEN ifnull(json_extract(data, '$.updatedAt') >= @since, 1)
  WHEN parent_id IS NOT NULL THEN NOT EXISTS (SELECT 1 FROM records p
    WHERE p.tenant_id = @tenantId AND p.entity = 'ticket' AND p.id = records.parent_id
      AND json_extract(p.data, '$.updatedAt') < @since)
  ELSE 1 END`;

export function openSqliteStorage(file: string): SqliteStorage {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  // The service acknowledges mutations that clients then drop: a commit must survive a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  migrate(db);
  return new SqliteStorage(db);
}

export class SqliteStorage implements Storage {
  private readonly records: RecordWriter;
  private readonly operators: OperatorTables;
  private readonly privacy: PrivacyStore;
  private readonly attachments: AttachmentStore;
  private readonly tickets: TicketReads;
  private readonly commits = new EventEmitter();

  constructor(private readonly db: Database) {
    this.records = new RecordWriter(db);
    this.operators = new OperatorTables(db);
    this.privacy = new PrivacyStore(db);
    this.attachments = new AttachmentStore(db, this.records);
    this.tickets = new TicketReads(db);
    this.commits.setMaxListeners(0);
  }

  private readonly statements = new Map<string, Statement>();

  /** Prepared once per SQL text (fixed texts only): preparing costs more than the small queries of a request. */
  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Runs `fn` in a write transaction, then tells watchers of every tenant whose log moved. */
  private write<T>(fn: (touched: Set<string>) => T): T {
    const touched = new Set<string>();
    const result = this.db.transaction(() => fn(touched)).immediate();
    for (const tenantId of touched) {
      const row = this.statement('SELECT last_seq FROM tenants WHERE id = ?').get(tenantId) as
        { last_seq: number } | undefined;
      if (row) this.commits.emit(tenantId, row.last_seq);
    }
    return result;
  }

  async slugExists(slug: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM tenants WHERE slug = ?').get(slug) !== undefined;
  }

  async createTenant(tenant: NewTenant): Promise<void> {
    this.write((touched) => {
      try {
        this.db
          .prepare('INSERT INTO tenants (id, slug, epoch, created_at) VALUES (?, ?, ?, ?)')
          .run(tenant.id, tenant.slug, tenant.epoch, tenant.now);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AlreadyExistsError('tenant slug taken');
        throw error;
      }
      this.records.write(
        tenant.id,
        { entity: 'company', id: tenant.id, op: 'upsert', data: tenant.company },
        tenant.now,
      );
      this.insertUser(tenant.id, tenant.admin, tenant.now);
      touched.add(tenant.id);
    });
  }

  async getTenantBySlug(slug: string): Promise<TenantRow | null> {
    return tenantFrom(
      this.db.prepare(`${TENANT_SELECT} WHERE t.slug = ?`).get(slug) as TenantDbRow | undefined,
    );
  }

  async getTenant(id: string): Promise<TenantRow | null> {
    return tenantFrom(
      this.statement(`${TENANT_SELECT} WHERE t.id = ?`).get(id) as TenantDbRow | undefined,
    );
  }

  async findUserByEmail(tenantId: string, email: string): Promise<UserRow | null> {
    const row = this.db
      .prepare(`${USER_SELECT} WHERE u.tenant_id = ? AND u.email_key = ?`)
      .get(tenantId, emailKey(email)) as UserDbRow | undefined;
    return userFrom(row);
  }

  async getUser(tenantId: string, userId: string): Promise<UserRow | null> {
    const row = this.db
      .prepare(`${USER_SELECT} WHERE u.tenant_id = ? AND u.id = ?`)
      .get(tenantId, userId) as UserDbRow | undefined;
    return userFrom(row);
  }

  /** Inserts the user and the rows clients sync about them: user, profile, preferences. */
  private insertUser(tenantId: string, user: NewUser, now: string): void {
    try {
      this.db
        .prepare(
          `INSERT INTO users (tenant_id, id, email, email_key, password_hash, role, active, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
        )
        .run(
          tenantId,
          user.id,
          user.email,
          emailKey(user.email),
          user.passwordHash,
          user.role,
          now,
        );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExistsError('email taken');
      throw error;
    }
    const { writes, preferences } = newUserWrites(user, now);
    for (const write of writes) this.records.write(tenantId, write, now);
    this.privacy.logPreferences(tenantId, null, preferences, 'account_created', now);
  }

  async createUser(tenantId: string, user: NewUser, now: string): Promise<UserRow> {
    this.write((touched) => {
      this.insertUser(tenantId, user, now);
      touched.add(tenantId);
    });
    return (await this.getUser(tenantId, user.id))!;
  }

  async updateUser(
    tenantId: string,
    userId: string,
    change: Partial<UserState>,
    now: string,
  ): Promise<UserRow | null> {
    const done = this.write((touched) => {
      const current = this.db
        .prepare('SELECT role, active, email FROM users WHERE tenant_id = ? AND id = ?')
        .get(tenantId, userId) as (Omit<UserState, 'active'> & { active: number }) | undefined;
      if (!current) return false;
      const next = changedUser({ ...current, active: current.active === 1 }, change);
      const { role, active, email } = next;
      try {
        this.db
          .prepare(
            `UPDATE users SET role = ?, active = ?, email = ?, email_key = ?,
               visibility_version = visibility_version + (CASE WHEN role = ? THEN 0 ELSE 1 END)
             WHERE tenant_id = ? AND id = ?`,
          )
          .run(role, active ? 1 : 0, email, emailKey(email), role, tenantId, userId);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AlreadyExistsError('email taken');
        throw error;
      }
      // In the write transaction: no other change of the tenant's admins can come in between.
      if (next.losesAdmin && this.countActiveAdmins(tenantId) === 0) {
        throw new LastAdminError();
      }
      for (const write of userChangeWrites(this.records.reader(tenantId), userId, next, now)) {
        this.records.write(tenantId, write, now);
      }
      if (!active) this.revokeUserSessionsSync(tenantId, userId, 'account_disabled', now);
      touched.add(tenantId);
      return true;
    });
    return done ? this.getUser(tenantId, userId) : null;
  }

  async changePassword(
    tenantId: string,
    userId: string,
    passwordHash: string,
    keepSessionId: string,
    now: string,
  ): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE users SET password_hash = ? WHERE tenant_id = ? AND id = ?')
        .run(passwordHash, tenantId, userId);
      this.db
        .prepare(
          `UPDATE sessions SET revoked_at = ?, revoked_reason = 'password_changed'
           WHERE tenant_id = ? AND user_id = ? AND id <> ? AND revoked_at IS NULL`,
        )
        .run(now, tenantId, userId, keepSessionId);
    })();
  }

  async requirePasswordSetup(
    tenantId: string,
    userId: string,
    passwordHash: string,
    setup: PasswordSetup,
  ): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE users SET password_hash = ?, must_set_password = 1 WHERE tenant_id = ? AND id = ?',
        )
        .run(passwordHash, tenantId, userId);
      this.db
        .prepare(
          `INSERT OR REPLACE INTO password_setup_tokens
             (tenant_id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(tenantId, userId, setup.tokenHash, setup.createdAt, setup.expiresAt);
      this.revokeUserSessionsSync(tenantId, userId, 'password_reset', setup.createdAt);
    })();
  }

  async getPasswordSetup(tenantId: string, userId: string): Promise<PasswordSetup | null> {
    const row = this.db
      .prepare(
        `SELECT token_hash, created_at, expires_at FROM password_setup_tokens
         WHERE tenant_id = ? AND user_id = ?`,
      )
      .get(tenantId, userId) as
      { token_hash: string; created_at: string; expires_at: string } | undefined;
    return passwordSetupFrom(row);
  }

  async completePasswordSetup(
    tenantId: string,
    userId: string,
    tokenHash: string,
    passwordHash: string,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      const used = this.db
        .prepare(
          'DELETE FROM password_setup_tokens WHERE tenant_id = ? AND user_id = ? AND token_hash = ?',
        )
        .run(tenantId, userId, tokenHash);
      if (used.changes !== 1) return false;
      this.db
        .prepare(
          'UPDATE users SET password_hash = ?, must_set_password = 0 WHERE tenant_id = ? AND id = ?',
        )
        .run(passwordHash, tenantId, userId);
      return true;
    })();
  }

  private countActiveAdmins(tenantId: string): number {
    const row = this.statement(
      "SELECT count(*) AS n FROM users WHERE tenant_id = ? AND role = 'admin' AND active = 1",
    ).get(tenantId) as { n: number };
    return row.n;
  }

  async createSession(session: NewSession, firstToken: NewRefreshToken): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO sessions (id, tenant_id, user_id, device, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(session.id, session.tenantId, session.userId, session.device, session.createdAt);
      this.insertRefreshToken(firstToken);
    })();
  }

  private insertRefreshToken(token: NewRefreshToken): void {
    this.db
      .prepare(
        'INSERT INTO refresh_tokens (id, session_id, issued_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(token.id, token.sessionId, token.issuedAt, token.expiresAt);
  }

  async getSessionAuth(sessionId: string): Promise<SessionAuth | null> {
    const row = this.statement(`${SESSION_AUTH_SELECT} WHERE s.id = ?`).get(sessionId) as
      SessionAuthDbRow | undefined;
    return sessionAuthFrom(row);
  }

  async revokeSession(sessionId: string, reason: string, now: string): Promise<void> {
    this.db
      .prepare(
        'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .run(now, reason, sessionId);
  }

  private revokeUserSessionsSync(
    tenantId: string,
    userId: string,
    reason: string,
    now: string,
  ): void {
    this.db
      .prepare(
        'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL',
      )
      .run(now, reason, tenantId, userId);
  }

  async revokeUserSessions(
    tenantId: string,
    userId: string,
    reason: string,
    now: string,
  ): Promise<void> {
    this.revokeUserSessionsSync(tenantId, userId, reason, now);
  }

  async getRefreshToken(id: string): Promise<RefreshTokenRow | null> {
    const row = this.db
      .prepare(
        `SELECT t.*, s.tenant_id, s.user_id, c.issued_at AS child_issued_at, c.used_at AS child_used_at
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
         LEFT JOIN refresh_tokens c ON c.id = t.child_id
         WHERE t.id = ?`,
      )
      .get(id) as Record<string, string | null> | undefined;
    return refreshTokenFrom(row);
  }

  async rotateRefreshToken(
    parentId: string,
    clientId: string,
    child: NewRefreshToken,
    now: string,
  ): Promise<'rotated' | 'already_used'> {
    return this.db.transaction(() => {
      const claimed = this.db
        .prepare(
          'UPDATE refresh_tokens SET used_at = ?, used_by_client = ?, child_id = ? WHERE id = ? AND used_at IS NULL',
        )
        .run(now, clientId, child.id, parentId);
      if (claimed.changes === 0) return 'already_used' as const;
      this.insertRefreshToken(child);
      return 'rotated' as const;
    })();
  }

  async recordLoginEvent(event: RecordedLoginEvent): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO login_events (id, tenant_id, tenant_slug, email_key, user_id, ip, user_agent, client_id, success, reason, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        event.id,
        event.tenantId,
        event.tenantSlug,
        emailKey(event.email),
        event.userId,
        event.ip,
        event.userAgent,
        event.clientId,
        event.success ? 1 : 0,
        event.reason,
        event.at,
      );
  }

  private failures(where: string, params: unknown[]): FailureWindow {
    const row = this.db
      .prepare(
        `SELECT count(*) AS count, min(at) AS oldestAt FROM login_events
         WHERE ${where} AND reason IN ('bad_credentials', 'wrong_current_password')`,
      )
      .get(...params) as { count: number; oldestAt: string | null };
    return row;
  }

  async failuresForAccount(
    tenantSlug: string,
    email: string,
    since: string,
  ): Promise<FailureWindow> {
    return this.failures('tenant_slug = ? AND email_key = ? AND at > ?', [
      tenantSlug,
      emailKey(email),
      since,
    ]);
  }

  async failuresForIp(ip: string, since: string): Promise<FailureWindow> {
    return this.failures('ip = ? AND at > ?', [ip, since]);
  }

  async listLoginEvents(
    tenantId: string,
    userId: string | null,
    limit: number,
  ): Promise<LoginEvent[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM login_events WHERE tenant_id = ? AND (? IS NULL OR user_id = ?)
         ORDER BY at DESC LIMIT ?`,
      )
      .all(tenantId, userId, userId, limit) as Array<Record<string, string | number | null>>;
    return rows.map(loginEventFrom);
  }

  async bindClient(
    tenantId: string,
    clientId: string,
    userId: string,
    now: string,
  ): Promise<SyncClient> {
    const read = () =>
      this.statement(
        'SELECT user_id, last_mutation_id, last_seen_at FROM sync_clients WHERE tenant_id = ? AND client_id = ?',
      ).get(tenantId, clientId) as SyncClientDbRow | undefined;
    const bound = boundWithoutWrite(read(), userId, now);
    if (bound) return bound;
    return this.db.transaction(() => {
      this.statement(
        `INSERT INTO sync_clients (tenant_id, client_id, user_id, last_seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, client_id) DO UPDATE SET last_seen_at = excluded.last_seen_at
         WHERE sync_clients.user_id = excluded.user_id`,
      ).run(tenantId, clientId, userId, now);
      const row = read()!;
      return { userId: row.user_id, lastMutationId: row.last_mutation_id };
    })();
  }

  async getMutationRecord(
    tenantId: string,
    clientId: string,
    mutationId: number,
  ): Promise<MutationRecord | null> {
    const row = this.statement(
      'SELECT hash, result FROM client_mutations WHERE tenant_id = ? AND client_id = ? AND mutation_id = ?',
    ).get(tenantId, clientId, mutationId) as { hash: string; result: string | null } | undefined;
    return mutationRecordFrom(row);
  }

  /**
   * Group commit: the mutations of all clients that arrive while the event loop is busy (during
   * the previous commit's fsync, typically) are applied in one transaction, each in a savepoint of
   * its own, so that one fsync acknowledges them all instead of one fsync each, which saturated
   * the service under load. A mutation that throws rolls back its own savepoint only; a commit that
   * fails fails the whole group, none of which was applied. One client's mutations are never in
   * the same group: SyncService awaits each before sending the next.
   */
  processMutation(spec: ProcessMutationSpec): Promise<ProcessedResult> {
    return new Promise((resolve, reject) => {
      const first = this.mutationGroup.length === 0;
      this.mutationGroup.push({ spec, resolve, reject });
      if (first) setImmediate(() => this.commitMutationGroup());
    });
  }

  private readonly mutationGroup: Array<{
    spec: ProcessMutationSpec;
    resolve: (result: ProcessedResult) => void;
    reject: (error: unknown) => void;
  }> = [];

  private commitMutationGroup(): void {
    const group = this.mutationGroup.splice(0);
    let outcomes: Array<{ result: ProcessedResult } | { error: unknown }>;
    try {
      outcomes = this.write((touched) =>
        group.map(({ spec }) => {
          try {
            return { result: this.db.transaction(() => this.applyMutation(spec, touched))() };
          } catch (error) {
            return { error };
          }
        }),
      );
    } catch (error) {
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    });
  }

  private applyMutation(spec: ProcessMutationSpec, touched: Set<string>): ProcessedResult {
    const { tenantId, clientId, mutationId, ctx } = spec;
    const client = this.statement(
      'SELECT last_mutation_id FROM sync_clients WHERE tenant_id = ? AND client_id = ?',
    ).get(tenantId, clientId) as { last_mutation_id: number } | undefined;
    if (!client || client.last_mutation_id !== mutationId - 1) {
      throw new Error(`mutation ${mutationId} out of order for client`);
    }
    let outcome: MutationOutcome;
    if ('run' in spec.prepared) {
      outcome = spec.prepared.run(this.records.reader(tenantId), spec.base);
    } else {
      outcome = spec.prepared;
    }
    if (outcome.ok) {
      for (const w of outcome.writes) {
        if (w.entity === 'preferences' && w.op === 'upsert') {
          const before = this.records.reader(tenantId).get('preferences', w.id);
          this.privacy.logPreferences(tenantId, before, w.data as Preferences, 'sync', ctx.now);
        }
        this.records.write(tenantId, w, ctx.now);
      }
      if (outcome.writes.length) touched.add(tenantId);
    }
    const result = toProcessedResult(mutationId, outcome);
    this.statement(
      'INSERT INTO client_mutations (tenant_id, client_id, mutation_id, hash, result, processed_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(tenantId, clientId, mutationId, spec.hash, JSON.stringify(result), ctx.now);
    this.statement(
      'UPDATE sync_clients SET last_mutation_id = ?, last_seen_at = ? WHERE tenant_id = ? AND client_id = ?',
    ).run(mutationId, ctx.now, tenantId, clientId);
    return result;
  }

  async pull(spec: PullRequestSpec): Promise<PullPage> {
    // A snapshot leaves out tombstones older than its start: `remaining` must not count them.
    const visible = `tenant_id = @tenantId AND seq > @after
      AND (entity NOT IN ('profile', 'preferences') OR id = @userId)
      AND NOT (deleted = 1 AND seq <= @snapshot)
      ${spec.updatedSince ? `AND ${UPDATED_SINCE}` : ''}`;
    const params = {
      tenantId: spec.tenantId,
      userId: spec.userId,
      after: spec.afterSeq,
      snapshot: spec.snapshotSeq ?? 0,
      limit: spec.limit + 1,
      ...(spec.updatedSince ? { since: spec.updatedSince } : {}),
    };
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT seq, entity, id, deleted, data FROM records
           WHERE ${visible}
           ORDER BY seq LIMIT @limit`,
        )
        .all(params) as PullDbRow[];
      const tenant = this.db
        .prepare('SELECT last_seq FROM tenants WHERE id = ?')
        .get(spec.tenantId) as {
        last_seq: number;
      };
      const client = this.db
        .prepare('SELECT last_mutation_id FROM sync_clients WHERE tenant_id = ? AND client_id = ?')
        .get(spec.tenantId, spec.clientId) as { last_mutation_id: number } | undefined;
      const page = shapePullPage(rows, spec, tenant.last_seq);
      return {
        ...page,
        remaining: page.hasMore
          ? this.estimateRemaining(visible, { ...params, after: page.lastSeq }, tenant.last_seq)
          : 0,
        lastMutationId: client?.last_mutation_id ?? 0,
        tenantLastSeq: tenant.last_seq,
      };
    })();
  }

  /** Exact for short tails; beyond that, extrapolated from the seq span of the next rows. */
  private estimateRemaining(
    visible: string,
    params: Record<string, unknown>,
    lastSeq: number,
  ): number {
    // The probe reads the seq index alone (no row lookups): cheap however long the tail is.
    const probe = this.db
      .prepare(
        `SELECT seq FROM records WHERE tenant_id = @tenantId AND seq > @after
         ORDER BY seq LIMIT 1 OFFSET ${REMAINING_EXACT_UP_TO}`,
      )
      .get(params) as { seq: number } | undefined;
    const estimate = extrapolatedRemaining(params.after as number, lastSeq, probe?.seq);
    if (estimate !== null) return estimate;
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM records WHERE ${visible}`)
      .get(params) as { n: number };
    return row.n;
  }

  async ticketThread(tenantId: string, ref: TicketRef): Promise<TicketThread | null> {
    return this.tickets.thread(tenantId, ref);
  }

  async searchTickets(tenantId: string, search: TicketSearch): Promise<Ticket[]> {
    return this.tickets.search(tenantId, search);
  }

  watch(tenantId: string, listener: (lastSeq: number) => void): () => void {
    this.commits.on(tenantId, listener);
    return () => this.commits.off(tenantId, listener);
  }

  async createOperator(operator: NewOperator): Promise<void> {
    this.operators.createOperator(operator);
  }

  async findOperatorByEmail(email: string): Promise<OperatorRow | null> {
    return this.operators.findOperatorByEmail(email);
  }

  async getOperator(id: string): Promise<OperatorRow | null> {
    return this.operators.getOperator(id);
  }

  async recordOperatorLogin(event: OperatorLoginEvent): Promise<void> {
    this.operators.recordOperatorLogin(event);
  }

  async operatorFailuresForEmail(email: string, since: string): Promise<FailureWindow> {
    return this.operators.operatorFailures('email_key', email, since);
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
    this.write((touched) => {
      this.records.writeMany(tenantId, records, now);
      touched.add(tenantId);
    });
  }

  async ticketStats(
    tenantId: string | null,
    sinceDay: string,
  ): Promise<{ byDay: DayStatsRow[]; byStatus: StatusStatsRow[] }> {
    const scope = tenantId === null ? [] : [tenantId];
    const query = (groupBy: string) =>
      this.db
        .prepare(
          `SELECT substr(json_extract(data, '$.createdAt'), 1, 10) AS day,
                  json_extract(data, '$.status') AS status,
                  count(*) AS tickets,
                  count(DISTINCT json_extract(data, '$.requesterId')) AS requesters
           FROM records
           WHERE ${scope.length ? 'tenant_id = ? AND' : ''} entity = 'ticket' AND deleted = 0
             AND json_extract(data, '$.createdAt') >= ?
           GROUP BY ${groupBy} ORDER BY ${groupBy}`,
        )
        .all(...scope, sinceDay);
    return {
      byDay: query('day, status') as DayStatsRow[],
      byStatus: (query('status') as DayStatsRow[]).map(({ status, tickets, requesters }) => ({
        status,
        tickets,
        requesters,
      })),
    };
  }

  async countActiveUsers(tenantId: string | null, since: string): Promise<number> {
    const scope = tenantId === null ? [] : [tenantId];
    const row = this.db
      .prepare(
        `SELECT count(DISTINCT user_id) AS n FROM login_events
         WHERE ${scope.length ? 'tenant_id = ? AND' : ''} success = 1 AND at >= ?`,
      )
      .get(...scope, since) as { n: number };
    return row.n;
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
    return this.write((touched) => {
      const outcome = this.attachments.add(tenantId, attachment, content);
      if (outcome === 'added') touched.add(tenantId);
      return outcome;
    });
  }

  async getAttachment(
    tenantId: string,
    id: string,
  ): Promise<{ attachment: Attachment; content: Buffer } | null> {
    return this.attachments.get(tenantId, id);
  }

  async purge(before: string, clientsBefore: string): Promise<void> {
    this.db.transaction(() => {
      const purged = this.db
        .prepare(
          `SELECT tenant_id, max(seq) AS seq FROM records WHERE deleted = 1 AND changed_at < ? GROUP BY tenant_id`,
        )
        .all(before) as Array<{ tenant_id: string; seq: number }>;
      for (const p of purged) {
        this.db
          .prepare('UPDATE tenants SET purged_seq = max(purged_seq, ?) WHERE id = ?')
          .run(p.seq, p.tenant_id);
      }
      this.db.prepare('DELETE FROM records WHERE deleted = 1 AND changed_at < ?').run(before);
      this.db
        .prepare('UPDATE client_mutations SET result = NULL WHERE processed_at < ?')
        .run(before);
      this.db.prepare('DELETE FROM sync_clients WHERE last_seen_at < ?').run(clientsBefore);
      this.db
        .prepare(
          `DELETE FROM client_mutations WHERE NOT EXISTS (SELECT 1 FROM sync_clients c
             WHERE c.tenant_id = client_mutations.tenant_id AND c.client_id = client_mutations.client_id)`,
        )
        .run();
    })();
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') ?? false;
}
