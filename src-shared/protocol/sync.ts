import { z } from 'zod';
import { ENTITY_SCHEMAS, type EntityName, type EntityOf } from '../domain/entities';
import { IsoTime, Uuid } from '../domain/primitives';
import { RejectionCode, FieldIssue } from './errors';

export const PULL_LIMIT_DEFAULT = 500;
export const PULL_LIMIT_MAX = 5000;
export const PUSH_MAX_MUTATIONS = 1000;
export const MUTATION_MAX_BYTES = 256 * 1024;
export const BODY_MAX_BYTES = 1024 * 1024;
export const CLIENT_ID_HEADER = 'x-client-id';

export const PullQuery = z.strictObject({
  cursor: z.string().min(1).max(200).default('0'),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1)
    .max(PULL_LIMIT_MAX)
    .default(PULL_LIMIT_DEFAULT),
  /**
   * While a snapshot runs (a pull from 0 and its pages), leave out tickets last updated before
   * this time, with their comments and attachments (PROTOCOL extension). Ignored afterwards.
   */
  updatedSince: IsoTime.optional(),
});
export type PullQuery = z.infer<typeof PullQuery>;

/**
 * A change as sent. Entities a client does not know are still valid changes (it skips them and
 * advances its cursor), so `entity` is any string here; `parseKnownChange` narrows it.
 */
/**
 * A change's data as the envelope checks it: a JSON object, not copied. Its fields are checked once,
 * by the entity's schema in `parseKnownChange` (a `z.record` here copied every row of a pull a
 * second time: 2.9 ms of a 2,000-row page, now 0.4).
 */
const ChangeData = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { message: 'must be an object' },
);

export const Change = z.discriminatedUnion('op', [
  z.object({
    seq: z.number().int().positive(),
    entity: z.string(),
    id: z.string(),
    op: z.literal('upsert'),
    data: ChangeData,
  }),
  z.object({
    seq: z.number().int().positive(),
    entity: z.string(),
    id: z.string(),
    op: z.literal('delete'),
  }),
]);
export type Change = z.infer<typeof Change>;

export type KnownChange =
  | {
      [N in EntityName]: { seq: number; entity: N; id: string; op: 'upsert'; data: EntityOf<N> };
    }[EntityName]
  | { seq: number; entity: EntityName; id: string; op: 'delete' };

/** Narrows a change to a known entity with valid data, or null when the client should skip it. */
export function parseKnownChange(change: Change): KnownChange | null {
  if (!Object.prototype.hasOwnProperty.call(ENTITY_SCHEMAS, change.entity)) return null;
  const entity = change.entity as EntityName;
  if (change.op === 'delete') return { ...change, entity };
  const parsed = ENTITY_SCHEMAS[entity].safeParse(change.data);
  return parsed.success ? ({ ...change, entity, data: parsed.data } as KnownChange) : null;
}

export const PullResponse = z.object({
  changes: z.array(Change),
  cursor: z.string(),
  hasMore: z.boolean(),
  remaining: z.number().int().nonnegative(),
  lastMutationId: z.number().int().nonnegative(),
  epoch: z.string(),
});
export type PullResponse = z.infer<typeof PullResponse>;

export const MutationEnvelope = z.strictObject({
  id: z.number().int().positive(),
  name: z.string().min(1).max(100),
  args: z.record(z.string(), z.unknown()),
  base: z.record(z.string(), z.unknown()).optional(),
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;

export const PushRequest = z
  .strictObject({
    clientId: Uuid,
    mutations: z.array(MutationEnvelope).max(PUSH_MAX_MUTATIONS),
  })
  .superRefine((body, ctx) => {
    body.mutations.forEach((m, i) => {
      const previous = body.mutations[i - 1];
      if (previous && m.id !== previous.id + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['mutations', i, 'id'],
          message: 'mutation ids must be consecutive',
        });
      }
    });
  });
export type PushRequest = z.infer<typeof PushRequest>;

export const FieldConflictSchema = z.object({
  field: z.string(),
  server: z.unknown(),
  mine: z.unknown(),
});

export const MutationError = z.object({
  code: RejectionCode.or(z.string()),
  message: z.string(),
  details: z.array(FieldIssue).optional(),
});

/** The outcome of a mutation the first time the service processed it. */
export const ProcessedResult = z.discriminatedUnion('status', [
  z.object({ id: z.number().int(), status: z.literal('applied') }),
  z.object({
    id: z.number().int(),
    status: z.literal('conflict'),
    conflicts: z.array(FieldConflictSchema).min(1),
    field: z.string(),
    server: z.unknown(),
    mine: z.unknown(),
  }),
  z.object({ id: z.number().int(), status: z.literal('rejected'), error: MutationError }),
]);
export type ProcessedResult = z.infer<typeof ProcessedResult>;

export const MutationResult = z.union([
  ProcessedResult,
  z.object({
    id: z.number().int(),
    status: z.literal('duplicate'),
    original: ProcessedResult.nullable(),
  }),
]);
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({
  results: z.array(MutationResult),
  lastMutationId: z.number().int().nonnegative(),
  epoch: z.string(),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const PokeEvent = z.object({ cursor: z.string() });
export type PokeEvent = z.infer<typeof PokeEvent>;
