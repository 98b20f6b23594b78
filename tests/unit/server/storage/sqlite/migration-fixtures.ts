import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach } from 'vitest';
import { MIGRATIONS, migrate } from '../../../../../src-server/storage/sqlite/migrations';

/** In-memory databases for the migration tests, each closed after its test. */
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

export function memoryDb(): Database {
  const db = new BetterSqlite3(':memory:');
  open.push(db);
  return db;
}

/** A database as a service of that version left it: every migration up to `version` applied. */
export function databaseAt(version: number): Database {
  const db = memoryDb();
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  return db;
}

/** A database of the newest schema. */
export const latestDatabase = (): Database => databaseAt(Number.POSITIVE_INFINITY);

export const tableNames = (db: Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];

/** The name a version is registered under, and whether the list is in version order. */
export function registration(version: number): { name: string | undefined; ordered: boolean } {
  const versions = MIGRATIONS.map((m) => m.version);
  return {
    name: MIGRATIONS.find((m) => m.version === version)?.name,
    ordered: versions.every((v, i) => i === 0 || versions[i - 1]! < v),
  };
}
