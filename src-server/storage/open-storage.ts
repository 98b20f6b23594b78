import { join } from 'node:path';
import { openPostgresStorage } from './postgres/pg-storage';
import { openSqliteStorage } from './sqlite/sqlite-storage';
import type { Storage } from './storage';

/**
 * The service's storage: PostgreSQL when given a `postgres://` (or `postgresql://`) URL, else the
 * SQLite file in the data folder. `onError` hears PostgreSQL's background failures (a dropped
 * idle connection), which no request is waiting for.
 */
export async function openStorage(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  onError?: (error: unknown) => void;
}): Promise<Storage> {
  const url = options.databaseUrl;
  if (url === undefined) return openSqliteStorage(join(options.dataDir, 'helpdesk.sqlite'));
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('--database takes a postgres:// URL');
  }
  return openPostgresStorage(url, options.onError);
}
