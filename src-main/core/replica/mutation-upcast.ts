import type { Database } from 'better-sqlite3';
import {
  FIRST_MUTATION_FORMAT,
  formatAfter,
  MUTATION_UPCASTS,
  upcastMutation,
  type MutationUpcast,
  type StoredMutation,
} from '../../../src-shared/protocol/mutation-format';
import { DatabaseTooNewError } from '../../../src-shared/storage/migrations';

const FORMAT_KEY = 'mutationFormat';

const parseStored = (name: string, args: string, base: string | null): StoredMutation => ({
  name,
  args: JSON.parse(args) as Record<string, unknown>,
  ...(base ? { base: JSON.parse(base) as Record<string, unknown> } : {}),
});

/**
 * Brings every mutation the replica keeps to the format of this program (mutation-format.ts):
 * outbox rows and their undo inverses, held replies, needs-attention items; and records the
 * format. Runs in the caller's transaction, so a crash leaves all of it in one format or the
 * other. True when something was rewritten: the overlay is then rebased with the new forms.
 * A replica of a newer program is refused, as a newer schema is.
 */
export function upcastStoredMutations(
  db: Database,
  upcasts: readonly MutationUpcast[] = MUTATION_UPCASTS,
): boolean {
  const stored = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(FORMAT_KEY) as
    string | undefined;
  const from = stored === undefined ? FIRST_MUTATION_FORMAT : Number(stored);
  const to = formatAfter(upcasts);
  if (from > to) {
    throw new DatabaseTooNewError(
      `the replica keeps changes in format ${from}, newer than this program's (${to}); upgrade the program`,
    );
  }
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(FORMAT_KEY, String(to));
  if (from === to) return false;
  const up = (mutation: StoredMutation) => upcastMutation(mutation, from, upcasts);

  const outbox = db.prepare('SELECT id, name, args, base, inverse FROM outbox').all() as Array<{
    id: number;
    name: string;
    args: string;
    base: string | null;
    inverse: string | null;
  }>;
  const rewriteOutbox = db.prepare(
    'UPDATE outbox SET name = ?, args = ?, base = ?, inverse = ? WHERE id = ?',
  );
  for (const row of outbox) {
    const next = up(parseStored(row.name, row.args, row.base));
    const inverse = row.inverse ? up(JSON.parse(row.inverse) as StoredMutation) : null;
    rewriteOutbox.run(
      next.name,
      JSON.stringify(next.args),
      next.base ? JSON.stringify(next.base) : null,
      inverse ? JSON.stringify(inverse) : null,
      row.id,
    );
  }

  const held = db.prepare('SELECT id, mutations FROM held_replies').all() as Array<{
    id: number;
    mutations: string;
  }>;
  const rewriteHeld = db.prepare('UPDATE held_replies SET mutations = ? WHERE id = ?');
  for (const row of held) {
    const mutations = JSON.parse(row.mutations) as Array<StoredMutation & { createdAt: string }>;
    const next = mutations.map(({ createdAt, ...mutation }) => {
      const { name, args } = up(mutation);
      return { name, args, createdAt };
    });
    rewriteHeld.run(JSON.stringify(next), row.id);
  }

  const attention = db.prepare('SELECT id, name, args FROM needs_attention').all() as Array<{
    id: number;
    name: string;
    args: string;
  }>;
  const rewriteAttention = db.prepare('UPDATE needs_attention SET name = ?, args = ? WHERE id = ?');
  for (const row of attention) {
    const next = up(parseStored(row.name, row.args, null));
    rewriteAttention.run(next.name, JSON.stringify(next.args), row.id);
  }
  return true;
}
