import type { EntityName, EntityOf } from '../../src-shared/domain/entities';
import { CASCADE_DELETES, prepareMutation } from '../../src-shared/mutators/registry';
import type {
  EntityRef,
  EntityWrite,
  MutationBase,
  MutationContext,
  MutationOutcome,
  RowReader,
} from '../../src-shared/mutators/types';

const keyOf = (entity: string, id: string) => `${entity}:${id}`;

/**
 * An in-memory replica of a tenant's rows, built from a Map, for running the shared mutators
 * without a database. Rows are copied in and out so that a mutator cannot change them in place.
 */
export class MemoryRows implements RowReader {
  readonly rows = new Map<string, Record<string, unknown>>();
  /** When set, only these rows may be read (what the mutator declared in `reads`). */
  allowed: Set<string> | null = null;
  readonly undeclaredReads: string[] = [];

  constructor(initial: Array<{ entity: EntityName; data: { id: string } }> = []) {
    for (const row of initial) this.put(row.entity, row.data);
  }

  put(entity: EntityName, data: { id: string }): void {
    this.rows.set(keyOf(entity, data.id), structuredClone(data) as Record<string, unknown>);
  }

  get<N extends EntityName>(entity: N, id: string): EntityOf<N> | null {
    const key = keyOf(entity, id);
    if (this.allowed && !this.allowed.has(key)) this.undeclaredReads.push(key);
    const row = this.rows.get(key);
    return row ? (structuredClone(row) as EntityOf<N>) : null;
  }

  /** Applies writes the way storage does, cascading deletes to children. */
  apply(writes: readonly EntityWrite[]): void {
    for (const write of writes) {
      if (write.op === 'upsert') {
        this.rows.set(keyOf(write.entity, write.id), structuredClone(write.data));
        continue;
      }
      this.rows.delete(keyOf(write.entity, write.id));
      for (const cascade of CASCADE_DELETES[write.entity] ?? []) {
        for (const [key, row] of [...this.rows]) {
          if (key.startsWith(`${cascade.entity}:`) && row[cascade.parentField] === write.id) {
            this.rows.delete(key);
          }
        }
      }
    }
  }

  /** A plain copy of every row, for before/after comparisons. */
  snapshot(): Record<string, Record<string, unknown>> {
    return structuredClone(Object.fromEntries(this.rows));
  }
}

/**
 * Runs a mutation by name the way the service does (check name, args and role, then apply to the
 * rows it declared), and applies its writes to `rows`. Fails the test if the mutator read a row it
 * did not declare.
 */
export function runMutation(
  rows: MemoryRows,
  name: string,
  args: unknown,
  ctx: MutationContext,
  base?: MutationBase,
): MutationOutcome {
  const prepared = prepareMutation(name, args, ctx);
  if (!prepared.ok) return prepared;
  rows.allowed = new Set(prepared.mutation.reads.map((r: EntityRef) => keyOf(r.entity, r.id)));
  try {
    const outcome = prepared.mutation.run(rows, base);
    if (rows.undeclaredReads.length) {
      throw new Error(`${name} read rows it did not declare: ${rows.undeclaredReads.join(', ')}`);
    }
    if (outcome.ok) rows.apply(outcome.writes);
    return outcome;
  } finally {
    rows.allowed = null;
  }
}
