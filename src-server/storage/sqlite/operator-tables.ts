import type { Database } from 'better-sqlite3';
import { emailKey } from '../email-key';
import { ticketListRead, ticketRead } from '../record-reads';
import { operatorFrom, supportAccessFrom, type OperatorDbRow } from '../row-mapping';
import {
  AlreadyExistsError,
  type FailureWindow,
  type NewOperator,
  type NewSupportAccess,
  type OperatorLoginEvent,
  type OperatorRow,
  type SupportAccessRead,
  type SupportAccessRow,
} from '../storage';

/** The operators, their log-ins and the support-access audit: SqliteStorage delegates here. */
export class OperatorTables {
  constructor(private readonly db: Database) {}

  createOperator(operator: NewOperator): void {
    try {
      this.db
        .prepare(
          `INSERT INTO operators (id, email, email_key, password_hash, created_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(
          operator.id,
          operator.email,
          emailKey(operator.email),
          operator.passwordHash,
          operator.createdAt,
        );
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new AlreadyExistsError('operator email taken');
      }
      throw error;
    }
  }

  findOperatorByEmail(email: string): OperatorRow | null {
    return operatorFrom(
      this.db.prepare('SELECT * FROM operators WHERE email_key = ?').get(emailKey(email)) as
        OperatorDbRow | undefined,
    );
  }

  getOperator(id: string): OperatorRow | null {
    return operatorFrom(
      this.db.prepare('SELECT * FROM operators WHERE id = ?').get(id) as OperatorDbRow | undefined,
    );
  }

  recordOperatorLogin(event: OperatorLoginEvent): void {
    this.db
      .prepare(
        `INSERT INTO operator_logins (id, email_key, operator_id, ip, success, reason, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        event.id,
        emailKey(event.email),
        event.operatorId,
        event.ip,
        event.success ? 1 : 0,
        event.reason,
        event.at,
      );
  }

  operatorFailures(column: 'email_key' | 'ip', value: string, since: string): FailureWindow {
    return this.db
      .prepare(
        `SELECT count(*) AS count, min(at) AS oldestAt FROM operator_logins
         WHERE ${column} = ? AND at > ? AND reason = 'bad_credentials'`,
      )
      .get(column === 'email_key' ? emailKey(value) : value, since) as FailureWindow;
  }

  openSupportAccess(access: NewSupportAccess): SupportAccessRead | null {
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO support_access
             (id, tenant_id, operator_id, operator_email, at, reason, scope, ticket_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            access.id,
            access.tenantId,
            access.operatorId,
            access.operatorEmail,
            access.at,
            access.reason,
            access.scope,
            access.ticketId,
          );
        if (access.scope === 'ticket_list') {
          const rows = this.db
            .prepare(
              `SELECT data FROM records WHERE tenant_id = ? AND entity = 'ticket' AND deleted = 0
             ORDER BY seq DESC LIMIT ?`,
            )
            .all(access.tenantId, access.listLimit) as Array<{ data: string }>;
          return ticketListRead(rows.map((r) => r.data));
        }
        const ticket = this.db
          .prepare(
            "SELECT data FROM records WHERE tenant_id = ? AND entity = 'ticket' AND id = ? AND deleted = 0",
          )
          .get(access.tenantId, access.ticketId) as { data: string } | undefined;
        if (!ticket) return null;
        const comments = this.db
          .prepare(
            `SELECT data FROM records
           WHERE tenant_id = ? AND parent_id = ? AND entity = 'comment' AND deleted = 0`,
          )
          .all(access.tenantId, access.ticketId) as Array<{ data: string }>;
        return ticketRead(
          ticket.data,
          comments.map((r) => r.data),
        );
      })
      .immediate();
  }

  listSupportAccess(tenantId: string, limit: number): SupportAccessRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM support_access WHERE tenant_id = ? ORDER BY at DESC, rowid DESC LIMIT ?`,
      )
      .all(tenantId, limit) as Array<Record<string, string | null>>;
    return rows.map(supportAccessFrom);
  }
}
