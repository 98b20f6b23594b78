import type { z } from 'zod';
import type { EntityName } from '../domain/entities';
import { describeIssues } from '../protocol/errors';
import { textIssues } from '../protocol/text';
import { NoopArgs } from './args';
import {
  createContact,
  setCommunicationPreferences,
  updateCompany,
  updateProfile,
} from './account-mutators';
import { deleteMacro, saveMacro } from './macro-mutators';
import {
  addComment,
  addTags,
  createTicket,
  deleteTicket,
  removeTags,
  setTicketFields,
} from './ticket-mutators';
import {
  applied,
  type EntityRef,
  type MutationBase,
  type MutationContext,
  type MutationOutcome,
  type MutatorDef,
  type RowReader,
} from './types';

const noop: MutatorDef<typeof NoopArgs> = {
  args: NoopArgs,
  reads: () => [],
  apply: () => applied([]),
};

/**
 * Every mutation of protocol v1 by name. The service and the desktop replica run these same
 * functions; a mutator's args never change once shipped: a new behaviour gets a new name.
 */
export const MUTATORS = {
  noop,
  createTicket,
  setTicketFields,
  addTags,
  removeTags,
  addComment,
  createContact,
  updateProfile,
  setCommunicationPreferences,
  updateCompany,
  deleteTicket,
  saveMacro,
  deleteMacro,
} as const;

export type MutationName = keyof typeof MUTATORS;
export type MutationArgs<N extends MutationName> = z.input<(typeof MUTATORS)[N]['args']>;
export const MUTATION_NAMES = Object.keys(MUTATORS) as MutationName[];

export function isMutationName(name: string): name is MutationName {
  return Object.prototype.hasOwnProperty.call(MUTATORS, name);
}

export interface CascadeChild {
  entity: EntityName;
  parentField: string;
}

/**
 * Deleting a row of the key also deletes the rows of each child `entity` whose `parentField` names
 * it. An entity is the child of one parent at most (its parent id is stored with it).
 */
export const CASCADE_DELETES: Partial<Record<EntityName, readonly CascadeChild[]>> = {
  ticket: [
    { entity: 'comment', parentField: 'ticketId' },
    { entity: 'attachment', parentField: 'ticketId' },
  ],
};

/** Each child entity's parent field; built once, as every row of a sync asks it. */
const PARENT_FIELDS = new Map(
  Object.values(CASCADE_DELETES).flatMap((children) =>
    (children ?? []).map((c) => [c.entity, c.parentField] as const),
  ),
);

/** The row a row belongs to for cascades (a comment's or an attachment's ticket), or null. */
export function parentOf(entity: EntityName, data: Record<string, unknown>): string | null {
  const field = PARENT_FIELDS.get(entity);
  const value = field === undefined ? undefined : data[field];
  return typeof value === 'string' ? value : null;
}

/** One mutation, checked and ready to run against the rows it named. */
export interface PreparedMutation {
  reads: EntityRef[];
  run(rows: RowReader, base: MutationBase | undefined): MutationOutcome;
}

/**
 * Checks a mutation's name, args and the caller's right to run it, before any row is read.
 * Returns either the rejection or what to read and how to apply it.
 */
export function prepareMutation(
  name: string,
  rawArgs: unknown,
  ctx: MutationContext,
): { ok: true; mutation: PreparedMutation } | (MutationOutcome & { ok: false }) {
  if (!isMutationName(name)) {
    return { ok: false, code: 'bad_request', message: `unknown mutation "${name}"` };
  }
  const def = MUTATORS[name] as MutatorDef<z.ZodType>;
  const parsed = def.args.safeParse(rawArgs);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'bad_request',
      message: `invalid args for ${name}`,
      details: describeIssues(parsed.error.issues),
    };
  }
  const badText = textIssues(parsed.data);
  if (badText.length > 0) {
    return {
      ok: false,
      code: 'bad_request',
      message: `invalid args for ${name}: ${badText[0]!.path} ${badText[0]!.message}`,
      details: badText,
    };
  }
  if (def.adminOnly && ctx.role !== 'admin') {
    return { ok: false, code: 'forbidden', message: `${name} is for admins only` };
  }
  const args: unknown = parsed.data;
  return {
    ok: true,
    mutation: {
      reads: def.reads(args, ctx),
      run: (rows, base) => withSentValues(def.apply(rows, args, base, ctx), rawArgs),
    },
  };
}

/**
 * Conflicts report `mine` as the client sent it (before trimming or turning '' into null), so a
 * client can match it with its own mutation. Edited fields are under `fields` or at the top level.
 */
function withSentValues(outcome: MutationOutcome, rawArgs: unknown): MutationOutcome {
  if (!outcome.ok || outcome.conflicts.length === 0) return outcome;
  const raw = rawArgs as Record<string, unknown>;
  const fields = (
    typeof raw.fields === 'object' && raw.fields !== null ? raw.fields : raw
  ) as Record<string, unknown>;
  return {
    ...outcome,
    conflicts: outcome.conflicts.map((c) =>
      c.field in fields ? { ...c, mine: fields[c.field] } : c,
    ),
  };
}
