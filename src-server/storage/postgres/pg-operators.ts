import type { Pool } from 'pg';
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
import { emailKey } from '../email-key';
import { isUniqueViolation, transaction } from './pg-database';

/** The operators, their log-ins and the support-access audit on PostgreSQL. */
export class PgOperators {
  constructor(private readonly pool: Pool) {}

  async createOperator(operator: NewOperator): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO operators (id, email, email_key, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [
          operator.id,
          operator.email,
          emailKey(operator.email),
          operator.passwordHash,
          operator.createdAt,
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExistsError('operator email taken');
      throw error;
    }
  }

  async findOperatorByEmail(email: string): Promise<OperatorRow | null> {
    const { rows } = await this.pool.query<OperatorDbRow>(
      'SELECT * FROM operators WHERE email_key = $1',
      [emailKey(email)],
    );
    return operatorFrom(rows[0]);
  }

  async getOperator(id: string): Promise<OperatorRow | null> {
    const { rows } = await this.pool.query<OperatorDbRow>('SELECT * FROM operators WHERE id = $1', [
      id,
    ]);
    return operatorFrom(rows[0]);
  }

  async recordOperatorLogin(event: OperatorLoginEvent): Promise<void> {
    await this.pool.query(
      `INSERT INTO operator_logins (id, email_key, operator_id, ip, success, reason, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        event.id,
        emailKey(event.email),
        event.operatorId,
        event.ip,
        event.success,
        event.reason,
        event.at,
      ],
    );
  }

  /** `value` is an email key or an IP, as `column` says. */
  async operatorFailures(
    column: 'email_key' | 'ip',
    value: string,
    since: string,
  ): Promise<FailureWindow> {
    const { rows } = await this.pool.query<FailureWindow>(
      `SELECT count(*) AS count, min(at) AS "oldestAt" FROM operator_logins
       WHERE ${column} = $1 AND at > $2 AND reason = 'bad_credentials'`,
      [value, since],
    );
    return rows[0]!;
  }

  /** The audit row and the read in one transaction: no read without its row. */
  async openSupportAccess(access: NewSupportAccess): Promise<SupportAccessRead | null> {
    return transaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO support_access
           (tenant_id, id, operator_id, operator_email, at, reason, scope, ticket_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          access.tenantId,
          access.id,
          access.operatorId,
          access.operatorEmail,
          access.at,
          access.reason,
          access.scope,
          access.ticketId,
        ],
      );
      if (access.scope === 'ticket_list') {
        const { rows } = await db.query<{ data: string }>(
          `SELECT data FROM records WHERE tenant_id = $1 AND entity = 'ticket' AND NOT deleted
           ORDER BY seq DESC LIMIT $2`,
          [access.tenantId, access.listLimit],
        );
        return ticketListRead(rows.map((r) => r.data));
      }
      const ticket = await db.query<{ data: string }>(
        `SELECT data FROM records
         WHERE tenant_id = $1 AND entity = 'ticket' AND id = $2 AND NOT deleted`,
        [access.tenantId, access.ticketId],
      );
      if (!ticket.rows[0]) return null;
      const comments = await db.query<{ data: string }>(
        `SELECT data FROM records
         WHERE tenant_id = $1 AND parent_id = $2 AND entity = 'comment' AND NOT deleted`,
        [access.tenantId, access.ticketId],
      );
      return ticketRead(
        ticket.rows[0].data,
        comments.rows.map((r) => r.data),
      );
    });
  }

  async listSupportAccess(tenantId: string, limit: number): Promise<SupportAccessRow[]> {
    const { rows } = await this.pool.query<Record<string, string | null>>(
      'SELECT * FROM support_access WHERE tenant_id = $1 ORDER BY at DESC, ord DESC LIMIT $2',
      [tenantId, limit],
    );
    return rows.map(supportAccessFrom);
  }
}
