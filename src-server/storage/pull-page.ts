import type { EntityName } from '../../src-shared/domain/entities';
import type { PullPage, PullRequestSpec } from './storage';
import { flag, type DbFlag } from './row-mapping';

/**
 * The shape of a pull page, for both storages: each reads up to `limit + 1` visible rows after the
 * cursor, the tenant's last seq and the client's last mutation id in one snapshot, and this turns
 * them into the page. The visibility rules themselves are SQL, in each storage.
 */

/** Beyond this many rows, `remaining` is extrapolated from the density of seqs seen so far. */
export const REMAINING_EXACT_UP_TO = 5_000;

export interface PullDbRow {
  seq: number;
  entity: EntityName;
  id: string;
  deleted: DbFlag;
  data: string | null;
}

/** The page, and the seq after which `remaining` is to be counted when there is more. */
export function shapePullPage(
  rows: readonly PullDbRow[],
  spec: Pick<PullRequestSpec, 'afterSeq' | 'limit'>,
  tenantLastSeq: number,
): Pick<PullPage, 'changes' | 'lastSeq' | 'hasMore'> {
  const hasMore = rows.length > spec.limit;
  const page = hasMore ? rows.slice(0, spec.limit) : rows;
  return {
    changes: page.map((r) => ({
      seq: r.seq,
      entity: r.entity,
      id: r.id,
      op: flag(r.deleted) ? ('delete' as const) : ('upsert' as const),
      data: r.data,
    })),
    // The seq of the last row looked at; with nothing more, the tenant's head.
    lastSeq: hasMore ? page[page.length - 1]!.seq : Math.max(spec.afterSeq, tenantLastSeq),
    hasMore,
  };
}

/**
 * `remaining` for a long tail: the seq of the row REMAINING_EXACT_UP_TO rows after `after`
 * (`probeSeq`, read from the seq index alone) tells the density of rows, which is extrapolated to
 * the tenant's head. Null when the tail is shorter: then the storage counts it exactly.
 */
export function extrapolatedRemaining(
  after: number,
  tenantLastSeq: number,
  probeSeq: number | undefined,
): number | null {
  if (probeSeq === undefined) return null;
  return Math.round((REMAINING_EXACT_UP_TO * (tenantLastSeq - after)) / (probeSeq - after));
}
