import type { ClientBase } from 'pg';
import {
  extrapolatedRemaining,
  REMAINING_EXACT_UP_TO,
  shapePullPage,
  type PullDbRow,
} from '../pull-page';
import type { PullPage, PullRequestSpec } from '../storage';

/**
 * Rows a pull may see: the tenant's, after the cursor, other users' profile and preferences left
 * out, and during a snapshot the tombstones older than its start (`remaining` must not count them).
 * Parameters: $1 tenant, $2 after, $3 user, $4 snapshot seq.
 */
const VISIBLE = `tenant_id = $1 AND seq > $2
  AND (entity NOT IN ('profile', 'preferences') OR id = $3)
  AND NOT (deleted AND seq <= $4)`;

/**
 * A pull's `updatedSince` ($5): tickets last updated before it, and the comments and attachments
 * of such tickets, are left out. Tombstones stay (they carry no time). `json`, not `jsonb`: jsonb
 * refuses text that JSON allows.
 */
const UPDATED_SINCE = `AND CASE
  WHEN entity = 'ticket' THEN coalesce((data::json ->> 'updatedAt') COLLATE "C" >= $5, true)
  WHEN parent_id IS NOT NULL THEN NOT EXISTS (SELECT 1 FROM records p
    WHERE p.tenant_id = $1 AND p.entity = 'ticket' AND p.id = records.parent_id
      AND (p.data::json ->> 'updatedAt') COLLATE "C" < $5)
  ELSE true END`;

/** One page of a pull; call inside one REPEATABLE READ transaction (see PgStorage). */
export async function pullPage(db: ClientBase, spec: PullRequestSpec): Promise<PullPage> {
  const params: unknown[] = [spec.tenantId, spec.afterSeq, spec.userId, spec.snapshotSeq ?? 0];
  const visible = spec.updatedSince ? `${VISIBLE} ${UPDATED_SINCE}` : VISIBLE;
  if (spec.updatedSince) params.push(spec.updatedSince);
  const { rows } = await db.query<PullDbRow>(
    `SELECT seq, entity, id, deleted, data FROM records WHERE ${visible}
     ORDER BY seq LIMIT $${params.length + 1}`,
    [...params, spec.limit + 1],
  );
  const tenant = await db.query<{ last_seq: number }>(
    'SELECT last_seq FROM tenants WHERE id = $1',
    [spec.tenantId],
  );
  const client = await db.query<{ last_mutation_id: number }>(
    'SELECT last_mutation_id FROM sync_clients WHERE tenant_id = $1 AND client_id = $2',
    [spec.tenantId, spec.clientId],
  );
  const tenantLastSeq = tenant.rows[0]!.last_seq;
  const page = shapePullPage(rows, spec, tenantLastSeq);
  return {
    ...page,
    remaining: page.hasMore
      ? await estimateRemaining(db, visible, params, page.lastSeq, tenantLastSeq)
      : 0,
    lastMutationId: client.rows[0]?.last_mutation_id ?? 0,
    tenantLastSeq,
  };
}

/** Exact for short tails; beyond that, extrapolated from the seq span of the next rows. */
async function estimateRemaining(
  db: ClientBase,
  visible: string,
  params: unknown[],
  after: number,
  tenantLastSeq: number,
): Promise<number> {
  const tail = [params[0], after, ...params.slice(2)];
  // The probe reads the seq index alone: cheap however long the tail is.
  const probe = await db.query<{ seq: number }>(
    `SELECT seq FROM records WHERE tenant_id = $1 AND seq > $2
     ORDER BY seq LIMIT 1 OFFSET ${REMAINING_EXACT_UP_TO}`,
    tail.slice(0, 2),
  );
  const estimate = extrapolatedRemaining(after, tenantLastSeq, probe.rows[0]?.seq);
  if (estimate !== null) return estimate;
  const count = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM records WHERE ${visible}`,
    tail,
  );
  return count.rows[0]!.n;
}
