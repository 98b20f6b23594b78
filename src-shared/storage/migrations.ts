/**
 * Forward-only schema migrations keyed by a version number, for every SQLite database of the
 * project (the service's and the desktop replica's). Pure: the caller adapts its driver.
 */
export interface MigratableDatabase<Db> {
  db: Db;
  userVersion(): number;
  setUserVersion(version: number): void;
  /** Runs `fn` in one transaction: all of it or nothing. */
  transaction(fn: () => void): void;
}

export interface Migration<Db> {
  version: number;
  name: string;
  up(db: Db): void;
}

export class DatabaseTooNewError extends Error {}

/**
 * Brings the database to the newest version, each migration in its own transaction together with
 * its version, so that a crash leaves it at one version or the next. Refuses a database newer
 * than the code.
 */
export function migrate<Db>(
  target: MigratableDatabase<Db>,
  migrations: ReadonlyArray<Migration<Db>>,
): number {
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous && m.version <= previous.version) {
      throw new Error(`migration ${m.version} is not above ${previous.version}`);
    }
  });
  const newest = migrations.at(-1)?.version ?? 0;
  const current = target.userVersion();
  if (current > newest) {
    throw new DatabaseTooNewError(
      `database is at version ${current}, newer than this program (${newest}); upgrade the program`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    target.transaction(() => {
      m.up(target.db);
      target.setUserVersion(m.version);
    });
  }
  return target.userVersion();
}

/** The part of a better-sqlite3 connection the runner needs (typed structurally: no import). */
export interface SqliteLike {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction(fn: () => void): () => void;
}

/** Migrates a better-sqlite3 connection, keeping the version in `PRAGMA user_version`. */
export function migrateSqlite<Db extends SqliteLike>(
  db: Db,
  migrations: ReadonlyArray<Migration<Db>>,
): number {
  return migrate(
    {
      db,
      userVersion: () => db.pragma('user_version', { simple: true }) as number,
      setUserVersion: (version) => {
        db.pragma(`user_version = ${Math.trunc(version)}`);
      },
      transaction: (fn) => db.transaction(fn)(),
    },
    migrations,
  );
}
