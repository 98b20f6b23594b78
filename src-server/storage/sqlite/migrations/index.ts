import type { Database } from 'better-sqlite3';
import {
  migrateSqlite,
  type Migration as SharedMigration,
} from '../../../../src-shared/storage/migrations';
import { schemaMigrations } from '../../schema-versions';
import * as m0010 from './0010-initial';
import * as m0020 from './0020-passwords';
import * as m0030 from './0030-operators';
import * as m0040 from './0040-privacy-records';
import * as m0050 from './0050-attachments';
import * as m0060 from './0060-ticket-numbers';

export { DatabaseTooNewError } from '../../../../src-shared/storage/migrations';
export type Migration = SharedMigration<Database>;

/** The service's schema versions (../../schema-versions.ts) on SQLite: one file per version. */
export const MIGRATIONS: readonly Migration[] = schemaMigrations([
  m0010,
  m0020,
  m0030,
  m0040,
  m0050,
  m0060,
]);

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  return migrateSqlite(db, migrations);
}
