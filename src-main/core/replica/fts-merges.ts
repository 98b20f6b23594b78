import type { Database } from 'better-sqlite3';
import { runBetweenTasks } from './between-tasks';

/**
 * How the full-text index (`ticket_fts`, FTS5) merges its segments. FTS5 writes a segment per
 * transaction and by default merges them inside the commits (`automerge`): on the 100,000-ticket
 * replica one local mutation in about 60 paid 17–23 ms for it, the mutations' p99
 * (docs/benchmarks.md).
 * - `bulk` (a snapshot: hundreds of pages of many tickets each): FTS5's defaults, merging as it
 *   writes; the index a snapshot leaves answers searches as fast as one built in one go.
 * - `between-tasks` (local mutations and pulls): no merging inside a commit, except FTS5's
 *   `crisismerge` once a level holds `CRISIS_SEGMENTS` segments (of one ticket each at the lowest
 *   level: too small to show above 2 ms in the benchmark); the rest is done by {@link mergeFullTextBetweenTasks}.
 * Both are kept in the index's own configuration, so they hold across restarts.
 */
export type FullTextMerging = 'bulk' | 'between-tasks';

const CRISIS_SEGMENTS = 30;

const SETTINGS: Record<FullTextMerging, { automerge: number; crisismerge: number }> = {
  // FTS5's defaults.
  bulk: { automerge: 4, crisismerge: 16 },
  'between-tasks': { automerge: 0, crisismerge: CRISIS_SEGMENTS },
};

export function setFullTextMerging(db: Database, mode: FullTextMerging): void {
  const { automerge, crisismerge } = SETTINGS[mode];
  // FTS5 takes its configuration as literals only (a bound value is refused).
  db.exec(`INSERT INTO ticket_fts (ticket_fts, rank) VALUES ('automerge', ${automerge});
           INSERT INTO ticket_fts (ticket_fts, rank) VALUES ('crisismerge', ${crisismerge});`);
}

export interface FullTextMergeOptions {
  /** How often a merge step is tried between tasks. */
  intervalMs?: number;
  /** Pages a step writes at most: about 5 ms of work. */
  pages?: number;
}

/**
 * Merges the index's segments in small steps on a timer, between tasks of the main process, never
 * inside a commit (see {@link FullTextMerging}). A step merges only where a level holds at least
 * four segments (FTS5's `usermerge`), so with nothing to merge it costs microseconds; during a
 * `bulk` snapshot it does nothing. Answers the function that stops the timer.
 */
export function mergeFullTextBetweenTasks(
  db: Database,
  { intervalMs = 1000, pages = 32 }: FullTextMergeOptions = {},
): () => void {
  const automerge = db.prepare("SELECT v FROM ticket_fts_config WHERE k = 'automerge'").pluck();
  const step = db.prepare(
    `INSERT INTO ticket_fts (ticket_fts, rank) VALUES ('merge', ${Math.trunc(pages)})`,
  );
  // crisismerge bounds the segments while a step cannot run.
  return runBetweenTasks(db, intervalMs, () => {
    if (automerge.get() === 0) step.run();
  });
}
