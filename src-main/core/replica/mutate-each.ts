import type { MutateManyResult } from '../../../src-shared/bridge/triage';
import { LocalMutationError, type Replica } from './replica';

/**
 * Bulk actions: each item queued as its own mutation, in order, in one transaction (one disk sync
 * for all of them). An item the replica refuses (invalid, no such ticket, not allowed) is reported
 * and rolled back alone; the others are queued.
 */
export function mutateEach(
  replica: Replica,
  items: ReadonlyArray<{ name: string; args: unknown }>,
  now: string,
): MutateManyResult {
  return replica.db.transaction(() => ({
    results: items.map((item): MutateManyResult['results'][number] => {
      try {
        return { ok: true, mutationId: replica.mutate(item.name, item.args, now).mutationId };
      } catch (error) {
        if (!(error instanceof LocalMutationError)) throw error;
        return { ok: false, code: error.code, message: error.message };
      }
    }),
  }))();
}
