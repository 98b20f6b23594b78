import type { Database } from 'better-sqlite3';

/**
 * Runs `step` every `intervalMs` between tasks of the main process, never inside a transaction
 * (upkeep that must not land in a commit's time: WAL checkpoints, full-text merges). A step that
 * throws (another connection holding the database: a backup, a reset) is tried again at the next
 * tick. The timer keeps no process alive. Answers the function that stops it.
 */
export function runBetweenTasks(db: Database, intervalMs: number, step: () => void): () => void {
  const timer = setInterval(() => {
    if (!db.open || db.inTransaction) return;
    try {
      step();
    } catch {
      // Tried again at the next tick; each caller's backstop bounds what waits meanwhile.
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
