import type { Database, Statement } from 'better-sqlite3';

const STATEMENT_CACHE_MAX = 200;
const statementCache = new WeakMap<Database, Map<string, Statement>>();

/**
 * Prepared statements by SQL text, per database, least recently used dropped first. Preparing
 * costs tens of microseconds, and each statement is a native handle the garbage collector must
 * trace: a local mutation that prepared its dozen statements anew paid both, with a 5–6 ms
 * scavenge every 250 mutations (docs/benchmarks.md). A cached statement is shared, so callers
 * leave its modes (`pluck`, `raw`) alone and never `iterate` it.
 */
export function cachedStatement(db: Database, sql: string): Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement) {
    cache.delete(sql);
  } else {
    statement = db.prepare(sql);
    if (cache.size >= STATEMENT_CACHE_MAX) cache.delete(cache.keys().next().value!);
  }
  cache.set(sql, statement);
  return statement;
}
