import type { z } from 'zod';
import type { Role } from '../domain/enums';
import type { EntityName, EntityOf } from '../domain/entities';
import type { RejectionCode, FieldIssue } from '../protocol/errors';

/** What a mutator may know besides its args: passed in, never read from a clock or a global. */
export interface MutationContext {
  now: string;
  tenantId: string;
  userId: string;
  role: Role;
}

export interface EntityRef {
  entity: EntityName;
  id: string;
}

export type EntityWrite =
  | { entity: EntityName; id: string; op: 'upsert'; data: Record<string, unknown> }
  | { entity: EntityName; id: string; op: 'delete' };

/** The rows a mutator asked for, as the storage running it sees them inside its transaction. */
export interface RowReader {
  get<N extends EntityName>(entity: N, id: string): EntityOf<N> | null;
}

export interface FieldConflict {
  field: string;
  server: unknown;
  mine: unknown;
}

/** Field values the agent saw when making the change; keys of fields not set are ignored. */
export type MutationBase = Record<string, unknown>;

export type MutationOutcome =
  | { ok: true; writes: EntityWrite[]; conflicts: FieldConflict[] }
  | { ok: false; code: RejectionCode; message: string; details?: FieldIssue[] };

export interface MutatorDef<S extends z.ZodType> {
  args: S;
  /** Only admins may run it (checked before `apply`). */
  adminOnly?: boolean;
  /** The rows `apply` reads; the storage loads them (or null) before calling it. */
  reads(args: z.output<S>, ctx: MutationContext): EntityRef[];
  apply(
    rows: RowReader,
    args: z.output<S>,
    base: MutationBase | undefined,
    ctx: MutationContext,
  ): MutationOutcome;
}

export function reject(code: RejectionCode, message: string): MutationOutcome {
  return { ok: false, code, message };
}

export function applied(writes: EntityWrite[], conflicts: FieldConflict[] = []): MutationOutcome {
  return { ok: true, writes, conflicts };
}
