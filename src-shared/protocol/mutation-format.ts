/**
 * The format of mutations a client keeps: in its outbox, in held replies, in needs-attention and
 * as undo inverses, across an upgrade of the app. Mutation args are strict, so a change of how a
 * mutation is written (a new name, an arg added with a default, a shape changed) is a new format:
 * MUTATION_FORMAT goes up by one, and an upcast turns the previous format into the new one with
 * the same meaning. The replica brings everything it keeps to the current format when it opens,
 * so a client never sends, nor rebases, a mutation in a format it no longer speaks
 * (docs/protocol.md, "Mutation formats").
 */

/** A mutation as a client keeps it. */
export interface StoredMutation {
  name: string;
  args: Record<string, unknown>;
  base?: Record<string, unknown>;
}

export interface MutationUpcast {
  /** The format it reads; it writes the next one. */
  from: number;
  upcast(mutation: StoredMutation): StoredMutation;
}

/** Format 1 is v1 of the protocol, as docs/protocol.md describes it. */
export const MUTATION_FORMAT = 1;

/** The format of what replicas from before formats were recorded keep. */
export const FIRST_MUTATION_FORMAT = 1;

/** Every change of format, oldest first: none yet. */
export const MUTATION_UPCASTS: readonly MutationUpcast[] = [];

/** The format a chain of upcasts leads to: one past its last step, else the current one. */
export function formatAfter(upcasts: readonly MutationUpcast[]): number {
  return Math.max(MUTATION_FORMAT, ...upcasts.map((step) => step.from + 1));
}

/**
 * Brings a mutation of format `from` to the end of the chain, one step at a time. Throws for a
 * format newer than the chain knows, or a chain with a gap.
 */
export function upcastMutation(
  mutation: StoredMutation,
  from: number,
  upcasts: readonly MutationUpcast[] = MUTATION_UPCASTS,
): StoredMutation {
  const to = formatAfter(upcasts);
  if (from > to) throw new RangeError(`mutation format ${from} is newer than this program's ${to}`);
  let current = mutation;
  for (let format = from; format < to; format++) {
    const step = upcasts.find((candidate) => candidate.from === format);
    if (!step) throw new RangeError(`no upcast from mutation format ${format}`);
    current = step.upcast(current);
  }
  return current;
}
