import type { MutationOutcome } from '../../src-shared/mutators/types';
import type { ProcessedResult } from '../../src-shared/protocol/sync';

/** The wire result of a mutation the service has just processed. */
export function toProcessedResult(id: number, outcome: MutationOutcome): ProcessedResult {
  if (!outcome.ok) {
    const error = { code: outcome.code, message: outcome.message };
    return {
      id,
      status: 'rejected',
      error: outcome.details ? { ...error, details: outcome.details } : error,
    };
  }
  const [first] = outcome.conflicts;
  if (!first) return { id, status: 'applied' };
  return {
    id,
    status: 'conflict',
    conflicts: outcome.conflicts,
    field: first.field,
    server: first.server,
    mine: first.mine,
  };
}
