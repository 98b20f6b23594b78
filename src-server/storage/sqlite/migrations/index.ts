import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-initial';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Forward-only, one file per version; versions go up in tens. */
export const MIGRATIONS: readonly Migration[] = [{ version: 10, name: 'initial', up: m0010.up }];

export class DatabaseTooNewError extends Error {}

/**
 * Brings the database to the newest version, each migration in its own transaction together with
 * its `user_version`, so a crash leaves the database at one version or the next.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous && m.version <= previous.version) {
      throw new Error(`migration ${m.version} is not above ${previous.version}`);
    }
  });
  const newest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > newest) {
    throw new DatabaseTooNewError(
      `database is at version ${current}, newer than this service (${newest}); upgrade the service`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
