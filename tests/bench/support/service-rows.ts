import BetterSqlite3, { type Database } from 'better-sqlite3';
import { emailKey } from '../../../src-server/storage/email-key';

/** One synced row as the service stores it (data is the JSON a pull sends). */
export interface ServiceRow {
  entity: string;
  id: string;
  data: string;
}

/**
 * The rows a pull from 0 delivers to one user, in the same order, read straight from the service's
 * SQLite file (read-only): the no-network input of the raw-insert and PouchDB baselines.
 */
export class ServiceRows {
  private readonly db: Database;
  private readonly tenantId: string;
  private readonly userId: string;

  constructor(file: string, tenantSlug: string, email: string) {
    this.db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const tenant = this.db.prepare('SELECT id FROM tenants WHERE slug = ?').get(tenantSlug) as
      { id: string } | undefined;
    if (!tenant) throw new Error(`no tenant ${tenantSlug} in ${file}`);
    const user = this.db
      .prepare('SELECT id FROM users WHERE tenant_id = ? AND email_key = ?')
      .get(tenant.id, emailKey(email)) as { id: string } | undefined;
    if (!user) throw new Error(`no user ${email} in ${tenantSlug}`);
    this.tenantId = tenant.id;
    this.userId = user.id;
  }

  /** Rows of each entity, as the pull filters them. */
  counts(): Record<string, number> {
    const rows = this.db
      .prepare(
        `SELECT entity, count(*) AS n FROM records WHERE tenant_id = ? AND deleted = 0
           AND (entity NOT IN ('profile', 'preferences') OR id = ?) GROUP BY entity`,
      )
      .all(this.tenantId, this.userId) as Array<{ entity: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.entity, r.n]));
  }

  /** Pages of at most `size` rows in the service's order (seq), up to `limit` rows in all. */
  *pages(size: number, limit = Number.POSITIVE_INFINITY): Generator<ServiceRow[]> {
    const page = this.db.prepare(
      `SELECT seq, entity, id, data FROM records WHERE tenant_id = ? AND seq > ? AND deleted = 0
         AND (entity NOT IN ('profile', 'preferences') OR id = ?)
       ORDER BY seq LIMIT ?`,
    );
    let after = 0;
    let left = limit;
    while (left > 0) {
      const rows = page.all(this.tenantId, after, this.userId, Math.min(size, left)) as Array<
        ServiceRow & { seq: number }
      >;
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.seq;
      left -= rows.length;
      yield rows.map(({ entity, id, data }) => ({ entity, id, data }));
    }
  }

  close(): void {
    this.db.close();
  }
}
