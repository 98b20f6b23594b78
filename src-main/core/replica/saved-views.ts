import type { Database } from 'better-sqlite3';
import {
  SAVED_VIEWS_MAX,
  type SavedView,
  type SavedViewQuery,
  type SaveViewInput,
} from '../../../src-shared/bridge/triage';
import { parseSearch } from '../../../src-shared/bridge/ticket-query';
import { LocalMutationError } from './replica';
import { countTickets } from './ticket-queries';

/**
 * Named searches in the sidebar, each with a live count. Kept in the replica, so they belong to
 * this account on this machine (not synced to the agent's other machines) and go at sign-out.
 * Counts come from the projection like a list's `total`, so they follow pulls and local changes:
 * the renderer asks again on `replicaChanged`.
 */

interface ViewRow {
  id: string;
  name: string;
  query: string;
}

export function listSavedViews(db: Database, me: string): SavedView[] {
  const rows = db
    .prepare('SELECT id, name, query FROM saved_views ORDER BY created_at, id')
    .all() as ViewRow[];
  return rows.map((row) => {
    const query = JSON.parse(row.query) as SavedViewQuery;
    return { id: row.id, name: row.name, query, count: countOf(db, query, me) };
  });
}

function countOf(db: Database, query: SavedViewQuery, me: string): number {
  if ('filters' in query) return countTickets(db, query.filters, me);
  const parsed = parseSearch(query.search, me);
  // Saved searches are read when saved; one a later version reads differently matches nothing.
  return parsed.ok ? countTickets(db, parsed.query, me) : 0;
}

/** Creates a view, or changes the one `id` names. */
export function saveView(
  db: Database,
  input: SaveViewInput,
  me: string,
  now: string,
  newId: () => string,
): SavedView {
  if ('search' in input.query) {
    const parsed = parseSearch(input.query.search, me);
    if (!parsed.ok) throw new LocalMutationError('bad_request', parsed.message);
  }
  return db.transaction(() => {
    const id = input.id ?? newId();
    const clash = db
      .prepare('SELECT 1 FROM saved_views WHERE name = ? COLLATE NOCASE AND id <> ?')
      .get(input.name, id);
    if (clash)
      throw new LocalMutationError(
        'already_exists',
        `There is already a view named ${input.name}.`,
      );
    const query = JSON.stringify(input.query);
    if (input.id) {
      const changed = db
        .prepare('UPDATE saved_views SET name = ?, query = ? WHERE id = ?')
        .run(input.name, query, id);
      if (changed.changes === 0) throw new LocalMutationError('not_found', 'No such view.');
    } else {
      const { n } = db.prepare('SELECT count(*) AS n FROM saved_views').get() as { n: number };
      if (n >= SAVED_VIEWS_MAX)
        throw new LocalMutationError(
          'bad_request',
          `At most ${SAVED_VIEWS_MAX} views can be saved: delete one first.`,
        );
      db.prepare('INSERT INTO saved_views (id, name, query, created_at) VALUES (?, ?, ?, ?)').run(
        id,
        input.name,
        query,
        now,
      );
    }
    return { id, name: input.name, query: input.query, count: countOf(db, input.query, me) };
  })();
}

export function deleteView(db: Database, id: string): void {
  if (db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes === 0)
    throw new LocalMutationError('not_found', 'No such view.');
}
