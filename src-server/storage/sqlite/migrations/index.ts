import type { Database } from 'better-sqlite3';
import {
  migrateSqlite,
  type Migration as SharedMigration,
} from '../../../../src-shared/storage/migrations';
import * as m0010 from './0010-initial';
import * as m0020 from './0020-passwords';
import * as m0030 from './0030-operators';
import * as m0040 from './0040-privacy-records';
import * as m0050 from './0050-attachments';

export { DatabaseTooNewError } from '../../../../src-shared/storage/migrations';
export type Migration = SharedMigration<Database>;

/** The service's schema versions: forward-only, one file per version, numbers up in tens. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'initial', up: m0010.up },
  { version: 20, name: 'passwords', up: m0020.up },
  { version: 30, name: 'operators', up: m0030.up },
  { version: 40, name: 'privacy-records', up: m0040.up },
  { version: 50, name: 'attachments', up: m0050.up },
];

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  return migrateSqlite(db, migrations);
}
