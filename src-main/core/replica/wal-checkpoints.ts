import type { Database } from 'better-sqlite3';
import { runBetweenTasks } from './between-tasks';

export interface WalCheckpointOptions {
  /** How often a checkpoint is tried between tasks. */
  intervalMs?: number;
  /** WAL pages at which SQLite still checkpoints inside a commit (a long synchronous burst). */
  backstopPages?: number;
}

/**
 * Moves WAL checkpoints out of the commits. SQLite's automatic checkpoint runs inside whichever
 * commit takes the WAL past 1,000 pages, so about one local mutation in thirty paid 20–40 ms, most
 * of it the two fsyncs of a checkpoint under `synchronous = NORMAL` (WAL, then database file): the
 * mutations' p99 (docs/benchmarks.md). Here a PASSIVE checkpoint runs on a timer, between tasks of
 * the main process, never inside a mutation; it waits for no one, and with nothing to copy it
 * costs microseconds. The automatic checkpoint stays as a backstop at `backstopPages` (40 MB of
 * WAL), so that writes with no task in between (a bulk action, a test loop) pay one checkpoint
 * every few hundred commits instead of every thirty, and the WAL stays bounded. Answers the
 * function that stops the timer. Durability is unchanged: a commit is in the WAL when it returns,
 * and `Replica.markSent` still fsyncs it before anything is sent.
 */
export function checkpointBetweenTasks(
  db: Database,
  { intervalMs = 1000, backstopPages = 10_000 }: WalCheckpointOptions = {},
): () => void {
  db.pragma(`wal_autocheckpoint = ${backstopPages}`);
  // The backstop bounds the WAL while a step cannot run.
  return runBetweenTasks(db, intervalMs, () => db.pragma('wal_checkpoint(PASSIVE)'));
}
