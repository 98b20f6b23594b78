import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../../src-server/storage/sqlite/migrations';
import { TICKET_BY_NUMBER } from '../../../../../src-server/storage/sqlite/ticket-reads';
import { databaseAt, latestDatabase, registration } from './migration-fixtures';

const ticket = (db: Database, id: string, number: number, seq: number) =>
  db
    .prepare(
      `INSERT INTO records (tenant_id, entity, id, seq, changed_at, data)
       VALUES ('t', 'ticket', ?, ?, '2026-01-01T00:00:00.000Z', ?)`,
    )
    .run(id, seq, JSON.stringify({ id, number }));

describe('0060-ticket-numbers', () => {
  it('is registered in version order', () => {
    expect(registration(60)).toEqual({ name: 'ticket-numbers', ordered: true });
  });

  it('upgrades a version-50 database, and finds its tickets by number', () => {
    const db = databaseAt(50);
    ticket(db, 'k1', 1, 1);
    ticket(db, 'k2', 2, 2);
    expect(migrate(db)).toBeGreaterThanOrEqual(60);
    expect(db.prepare(TICKET_BY_NUMBER).pluck().get('t', 2)).toBe('{"id":"k2","number":2}');
  });

  it('looks a ticket up by number through the index, without a scan of the tenant', () => {
    const plan = (
      latestDatabase().prepare(`EXPLAIN QUERY PLAN ${TICKET_BY_NUMBER}`).all('t', 7) as Array<{
        detail: string;
      }>
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH records USING INDEX records_ticket_number/);
  });
});
