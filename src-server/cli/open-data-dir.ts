import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStorage } from '../storage/open-storage';
import type { Storage } from '../storage/storage';

/** Where operator tools, like the service, find a PostgreSQL database (a URL may hold a password). */
export const DATABASE_URL_ENV = 'HELPDESK_DATABASE_URL';

/**
 * The service's database: PostgreSQL when `databaseUrl` is set, else the SQLite file of an
 * existing data folder (operator tools never create one).
 */
export async function openExistingStorage(
  dataDir: string,
  databaseUrl: string | undefined,
): Promise<Storage> {
  if (databaseUrl === undefined) {
    const file = join(dataDir, 'helpdesk.sqlite');
    if (!existsSync(file)) throw new Error(`No service database at ${file}`);
  }
  return openStorage({ dataDir, databaseUrl });
}
