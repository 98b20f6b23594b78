import type { ClientBase } from 'pg';
import type { EntityName } from '../../../src-shared/domain/entities';
import type { PullPage, PullRequestSpec } from '../storage';

/** Beyond this many rows, `remaining` is extrapolated from the density of seqs seen so far. */
const REMAINING_EXACT_UP_TO = 5_000;

/**
 * Rows a pull may see: the tenant's, after the cursor, other users' profile and preferences left
 * out, and during a snapshot the tombstones older than its start (`remaining` must not count them).
 * Parameters: $1 tenant, $2 after, $3 user, $4 snapshot seq.
 */
const VISIBLE = `tenant_id = $1 AND seq > $2
  AND (entity NOT IN ('profile', 'preferences') OR id = $3)
  AND NOT (deleted AND seq <= $4)`;

/** One page of a pull; call inside one REPEATABLE READ transaction (see PgStorage). */
export async function pullPage(db: ClientBase, spec: PullRequestSpec): Promise<PullPage> {
  const params = [spec.tenantId, spec.afterSeq, spec.userId, spec.snapshotSeq ?? 0];
  const { rows } = await db.query<{
    seq: number;
    entity: EntityName;
    id: string;
    deleted: boolean;
    data: string | null;
  }>(`SELECT seq, entity, id, deleted, data FROM records WHERE ${VISIBLE} ORDER BY seq LIMIT $5`, [
    ...params,
    spec.limit + 1,
  ]);
  const tenant = await db.query<{ last_seq: number }>(
    'SELECT last_seq FROM tenants WHERE id = $1',
    [spec.tenantId],
  );
  const client = await db.query<{ last_mutation_id: number }>(
    'SELECT last_mutation_id FROM sync_clients WHERE tenant_id = $1 AND client_id = $2',
    [spec.tenantId, spec.clientId],
  );
  const tenantLastSeq = tenant.rows[0]!.last_seq;
  const hasMore = rows.length > spec.limit;
  const page = hasMore ? rows.slice(0, spec.limit) : rows;
  const lastSeq = hasMore ? page[page.length - 1]!.seq : Math.max(spec.afterSeq, tenantLastSeq);
  return {
    changes: page.map((r) => ({
      seq: r.seq,
      entity: r.entity,
      id: r.id,
      op: r.deleted ? ('delete' as const) : ('upsert' as const),
      data: r.data,
    })),
    lastSeq,
    hasMore,
    remaining: hasMore ? await estimateRemaining(db, params, lastSeq, tenantLastSeq) : 0,
    lastMutationId: client.rows[0]?.last_mutation_id ?? 0,
    tenantLastSeq,
  };
}

/** Exact for short tails; beyond that, extrapolated from the seq span of the next rows. */
async function estimateRemaining(
  db: ClientBase,
  params: unknown[],
  after: number,
  tenantLastSeq: number,
): Promise<number> {
  const tail = [params[0], after, params[2], params[3]];
  // The probe reads the seq index alone: cheap however long the tail is.
  const probe = await db.query<{ seq: number }>(
    `SELECT seq FROM records WHERE tenant_id = $1 AND seq > $2
     ORDER BY seq LIMIT 1 OFFSET ${REMAINING_EXACT_UP_TO}`,
    tail.slice(0, 2),
  );
  const seq = probe.rows[0]?.seq;
  if (seq !== undefined) {
    return Math.round((REMAINING_EXACT_UP_TO * (tenantLastSeq - after)) / (seq - after));
  }
  const count = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM records WHERE ${VISIBLE}`,
    tail,
  );
  return count.rows[0]!.n;
}
