import type { Database } from 'better-sqlite3';

/**
 * Query indexes: `tickets_by_status_priority` covers the count of a list or search filtering both
 * status and priority (`priority:urgent,high status:open,pending`), which otherwise reads every
 * ticket of one of the two for the other (16.9 ms at 100,000 tickets, 0.5 ms covered).
 */
export function up(db: Database): void {
  db.exec('CREATE INDEX tickets_by_status_priority ON tickets (status, priority_rank);');
}
