import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/sqlite-storage';

/** The service's database in an existing data folder; operator tools never create one. */
export function openExistingStorage(dataDir: string): SqliteStorage {
  const file = join(dataDir, 'helpdesk.sqlite');
  if (!existsSync(file)) throw new Error(`No service database at ${file}`);
  return openSqliteStorage(file);
}
