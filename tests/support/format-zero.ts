import type { Database } from 'better-sqlite3';
import {
  MUTATION_FORMAT,
  type MutationUpcast,
  type StoredMutation,
} from '../../src-shared/protocol/mutation-format';
import { upcastStoredMutations } from '../../src-main/core/replica/mutation-upcast';

/**
 * A mutation format 0 of the tests' own, before format 1 (v1 of the protocol), to prove the path
 * of a format change end to end (docs/protocol.md, "Mutation formats"): a rename with a new
 * shape, a rename keeping `base`, and an arg added with a default.
 *
 * - `addTag {ticketId, tag}` became `addTags {ticketId, tags: [tag]}`;
 * - `setStatus {ticketId, status}` became `setTicketFields {ticketId, fields: {status}}`;
 * - `addComment {id, ticketId, body}` gained `public`: format 0 had no internal notes.
 */
export const FORMAT_ZERO_UPCASTS: readonly MutationUpcast[] = [
  {
    from: 0,
    upcast(m) {
      const { tag, status, ...rest } = m.args as { tag?: string; status?: string };
      if (m.name === 'addTag') return { ...m, name: 'addTags', args: { ...rest, tags: [tag] } };
      if (m.name === 'setStatus') {
        return { ...m, name: 'setTicketFields', args: { ...rest, fields: { status } } };
      }
      if (m.name === 'addComment') return { ...m, args: { ...m.args, public: true } };
      return m;
    },
  },
];

/** How an app of format 0 wrote a mutation of format 1 (one that format 0 could express). */
export function toFormatZero(m: StoredMutation): StoredMutation {
  const args = m.args as { tags?: string[]; fields?: Record<string, unknown>; public?: boolean };
  const fields = Object.keys(args.fields ?? {});
  const inexpressible =
    (m.name === 'addTags' && args.tags?.length !== 1) ||
    (m.name === 'addComment' && args.public !== true) ||
    (m.name === 'setTicketFields' && fields.includes('status') && fields.length > 1);
  if (inexpressible) throw new Error(`format 0 cannot express ${m.name} ${JSON.stringify(m.args)}`);
  if (m.name === 'addTags') {
    const { tags, ...rest } = args;
    return { ...m, name: 'addTag', args: { ...rest, tag: tags![0] } };
  }
  if (m.name === 'setTicketFields' && fields.includes('status')) {
    const { fields: set, ...rest } = args;
    return { ...m, name: 'setStatus', args: { ...rest, status: set!.status } };
  }
  if (m.name === 'addComment') {
    const { public: _public, ...rest } = args;
    return { ...m, args: rest };
  }
  return m;
}

/**
 * Rewrites what a replica keeps (outbox, inverses, held replies, needs-attention) as an app of
 * format 0 wrote it: the replica's own rewrite, run with `toFormatZero` as its one step.
 */
export function writeFormatZero(db: Database): void {
  db.transaction(() => {
    upcastStoredMutations(db, [{ from: MUTATION_FORMAT, upcast: toFormatZero }]);
    db.prepare("UPDATE meta SET value = '0' WHERE key = 'mutationFormat'").run();
  })();
}
