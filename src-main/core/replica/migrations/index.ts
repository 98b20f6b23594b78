import type { Database } from 'better-sqlite3';
import {
  migrateSqlite,
  type Migration as SharedMigration,
} from '../../../../src-shared/storage/migrations';
import * as m0010 from './0010-initial';
import * as m0020 from './0020-offline-triage';
import * as m0030 from './0030-query-indexes';
import * as m0040 from './0040-offline-window';
import * as m0050 from './0050-fts-merges';
import * as m0060 from './0060-base-by-rowid';

export type Migration = SharedMigration<Database>;

/** The replica's schema versions: forward-only, one file per version, numbers up in tens. */
export const REPLICA_MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'initial', up: m0010.up },
  { version: 20, name: 'offline-triage', up: m0020.up },
  { version: 30, name: 'query-indexes', up: m0030.up },
  { version: 40, name: 'offline-window', up: m0040.up },
  { version: 50, name: 'fts-merges', up: m0050.up },
  { version: 60, name: 'base-by-rowid', up: m0060.up },
];

export function migrateReplica(
  db: Database,
  migrations: readonly Migration[] = REPLICA_MIGRATIONS,
): number {
  return migrateSqlite(db, migrations);
}
