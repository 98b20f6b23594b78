import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from './test-server';

/**
 * What a test service holds, SQLite or PostgreSQL alike: a snapshot of its tables for "nothing was
 * written" checks, and a search of everything it stores for secrets. Read-only.
 */

/** Per table, its row count and a checksum of its rows (ignored columns left out). */
export type DataSnapshot = Record<string, string>;

export interface ServiceData {
  /** Cheap while nothing changed: the previous snapshot is reused until the database moves. */
  snapshot(): Promise<DataSnapshot>;
  close(): Promise<void>;
}

export interface SnapshotOptions {
  /** Columns whose changes do not count (e.g. a client's last-seen time). */
  ignoreColumns?: readonly string[];
  /** Tables left out of the snapshot (e.g. log-in events, written on purpose by refused log-ins). */
  ignoreTables?: readonly string[];
}

/** The tables whose content differs between two snapshots. */
export function changedTables(before: DataSnapshot, after: DataSnapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

function digest(rows: readonly string[]): string {
  const hash = createHash('sha256');
  for (const row of [...rows].sort()) hash.update(row).update('\n');
  return `${rows.length} rows, ${hash.digest('hex').slice(0, 16)}`;
}

function sqliteData(t: TestServer, options: SnapshotOptions): ServiceData {
  const db = new BetterSqlite3(join(t.dataDir, 'helpdesk.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  const ignored = new Set(options.ignoreColumns ?? []);
  let last: { version: number; snapshot: DataSnapshot } | null = null;
  return {
    async snapshot() {
      // data_version moves whenever another connection (the service's) commits a write.
      const version = db.pragma('data_version', { simple: true }) as number;
      if (last?.version === version) return last.snapshot;
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all() as string[];
      const snapshot: DataSnapshot = {};
      for (const name of tables.filter((n) => !options.ignoreTables?.includes(n))) {
        const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>;
        snapshot[name] = digest(
          rows.map((row) =>
            JSON.stringify(Object.entries(row).filter(([column]) => !ignored.has(column))),
          ),
        );
      }
      last = { version, snapshot };
      return snapshot;
    },
    async close() {
      db.close();
    },
  };
}

async function postgresData(url: string, options: SnapshotOptions): Promise<ServiceData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = (
    await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).rows
    .map((r) => r.name)
    .filter((name) => !options.ignoreTables?.includes(name));
  const dropped = (options.ignoreColumns ?? []).map((c) => ` - '${c}'`).join('');
  // Cheap: each table's row count and newest row version (xmin) move with every insert, update
  // and delete; the checksums are read again only then.
  const versionSql = tables
    .map((name) => `SELECT '${name}', count(*), max(xmin::text::bigint) FROM "${name}"`)
    .join(' UNION ALL ');
  const snapshotSql = tables
    .map(
      (name) =>
        `SELECT '${name}' AS name, count(*) AS n,
           md5(coalesce(string_agg((to_jsonb(x)${dropped})::text, E'\\n'
             ORDER BY (to_jsonb(x)${dropped})::text COLLATE "C"), '')) AS sum
         FROM "${name}" x`,
    )
    .join(' UNION ALL ');
  let last: { version: string; snapshot: DataSnapshot } | null = null;
  return {
    async snapshot() {
      const version = JSON.stringify(
        (await client.query({ text: versionSql, rowMode: 'array' })).rows,
      );
      if (last?.version === version) return last.snapshot;
      const rows = (await client.query<{ name: string; n: string; sum: string }>(snapshotSql)).rows;
      const snapshot = Object.fromEntries(
        rows.map((r) => [r.name, `${r.n} rows, ${r.sum.slice(0, 16)}`]),
      );
      last = { version, snapshot };
      return snapshot;
    },
    async close() {
      await client.end();
    },
  };
}

/** A read-only view of the service's data; close it in afterAll. */
export async function openServiceData(
  t: TestServer,
  options: SnapshotOptions = {},
): Promise<ServiceData> {
  return t.databaseUrl ? postgresData(t.databaseUrl, options) : sqliteData(t, options);
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? allFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

export interface TextSearch {
  /** `<name> in <place>` for each needle found, by its name. */
  hits: string[];
  /** Every place searched: files of the data folder, and on PostgreSQL `table.column`. */
  places: string[];
}

/**
 * Searches everything the service stores for each needle: the bytes of every file of its data
 * folder (on SQLite the database, its WAL and journal included) and, on PostgreSQL, every text
 * column of every table.
 */
export async function findInServiceData(
  t: TestServer,
  needles: Record<string, string>,
): Promise<TextSearch> {
  const hits: string[] = [];
  const places: string[] = [];
  for (const file of allFiles(t.dataDir)) {
    const place = file.slice(t.dataDir.length + 1);
    places.push(place);
    const bytes = readFileSync(file);
    for (const [name, needle] of Object.entries(needles)) {
      if (bytes.includes(Buffer.from(needle, 'utf8'))) hits.push(`${name} in ${place}`);
    }
  }
  if (t.databaseUrl) {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const { rows: columns } = await client.query<{ table: string; column: string }>(
        `SELECT table_name AS table, column_name AS column FROM information_schema.columns
         WHERE table_schema = 'public'
           AND data_type IN ('text', 'character varying', 'bytea')
         ORDER BY table_name, column_name`,
      );
      for (const { table, column } of columns) {
        const place = `${table}.${column}`;
        places.push(place);
        const { rows } = await client.query<{ value: string | Buffer }>(
          `SELECT "${column}" AS value FROM "${table}" WHERE "${column}" IS NOT NULL`,
        );
        for (const [name, needle] of Object.entries(needles)) {
          if (rows.some((r) => r.value.includes(needle))) hits.push(`${name} in ${place}`);
        }
      }
    } finally {
      await client.end();
    }
  }
  return { hits, places };
}
