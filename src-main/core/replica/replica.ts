import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { EntityName, EntityOf, Ticket } from '../../../src-shared/domain/entities';
import type { Role } from '../../../src-shared/domain/enums';
import {
  CASCADE_DELETES,
  parentOf,
  prepareMutation,
  type MutationName,
} from '../../../src-shared/mutators/registry';
import type {
  EntityWrite,
  FieldConflict,
  MutationContext,
  RowReader,
} from '../../../src-shared/mutators/types';
import {
  MUTATION_MAX_BYTES,
  parseKnownChange,
  type MutationEnvelope,
  type MutationResult,
  type ProcessedResult,
  type PullResponse,
} from '../../../src-shared/protocol/sync';
import {
  MUTATION_UPCASTS,
  type MutationUpcast,
} from '../../../src-shared/protocol/mutation-format';
import { inverseOf, type LooseArgs, type PlannedMutation } from './inverse-mutation';
import { migrateReplica } from './migrations';
import { upcastStoredMutations } from './mutation-upcast';
import { HeldReplies } from './held-replies';
import { checkpointBetweenTasks } from './wal-checkpoints';
import { OfflineWindow } from './offline-window';
import { deferQueryIndexes, restoreQueryIndexes } from './deferred-indexes';
import { mergeFullTextBetweenTasks, setFullTextMerging } from './fts-merges';
import { PageRows, sameText } from './page-rows';
import { cachedStatement } from './statement-cache';
import { TicketProjection } from './ticket-projection';

export interface ReplicaIdentity {
  serverUrl: string;
  tenantId: string;
  tenantSlug: string;
  userId: string;
  role: Role;
}

/** A local mutation the replica refused: nothing was queued. */
export class LocalMutationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface NeedsAttentionItem {
  id: number;
  mutationId: number;
  name: string;
  args: Record<string, unknown>;
  kind: 'conflict' | 'rejected';
  /** For a conflict, each field with the server's value and mine; for a rejection, the error. */
  conflicts: FieldConflict[];
  error: { code: string; message: string } | null;
  entity: string | null;
  entityId: string | null;
  createdAt: string;
}

export interface EditableRow<T> {
  current: T;
  confirmed: T | null;
  pendingFields: string[];
}

export interface PageOutcome {
  applied: number;
  skipped: number;
  /** Set when the page ended a pull (hasMore false). */
  completed: boolean;
}

interface FieldTarget {
  entity: EntityName;
  id: (args: LooseArgs, ctx: MutationContext) => string;
  fields: (args: LooseArgs) => string[];
}

const editedFields = (args: LooseArgs) => Object.keys(args.fields ?? {});

/** Mutations whose `base` is the agent's view of the fields they set (conflicts are per field). */
const FIELD_MUTATIONS: Partial<Record<MutationName, FieldTarget>> = {
  setTicketFields: { entity: 'ticket', id: (a) => a.ticketId ?? '', fields: editedFields },
  updateProfile: { entity: 'profile', id: (_a, ctx) => ctx.userId, fields: editedFields },
  updateCompany: { entity: 'company', id: (_a, ctx) => ctx.tenantId, fields: editedFields },
  setCommunicationPreferences: {
    entity: 'preferences',
    id: (_a, ctx) => ctx.userId,
    fields: () => ['newsletter', 'productUpdates'],
  },
};

/**
 * What names the files of one (server, tenant, user): a hash, so no name leaks into paths, and of
 * ids, so an email change keeps it.
 */
export function accountHash(
  identity: Pick<ReplicaIdentity, 'serverUrl' | 'tenantId' | 'userId'>,
): string {
  const origin = new URL(identity.serverUrl).origin;
  const key = createHash('sha256')
    .update(`${origin}\n${identity.tenantId}\n${identity.userId}`)
    .digest('hex');
  return key.slice(0, 32);
}

/** The file of the replica for one (server, tenant, user). */
export function replicaFileName(
  identity: Pick<ReplicaIdentity, 'serverUrl' | 'tenantId' | 'userId'>,
): string {
  return `replica-${accountHash(identity)}.sqlite`;
}

/** The replica's commit durability; see openReplica. */
const REPLICA_SYNCHRONOUS = 'NORMAL';

/**
 * The replica connection's page cache, in KiB. At 100,000 tickets the benchmark's mix of lists
 * and searches did not fit in 32 MB: its pages were read from the file again each round (search
 * p95 18 ms, against 14.5 ms with 64 MB and 19.5 ms with 16 MB).
 */
export const REPLICA_CACHE_KIB = 65_536;

export interface OpenReplicaOptions {
  /** The chain of mutation formats (tests bring their own; see mutation-format.ts). */
  mutationUpcasts?: readonly MutationUpcast[];
}

export function openReplica(
  dir: string,
  identity: ReplicaIdentity,
  options: OpenReplicaOptions = {},
): Replica {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, replicaFileName(identity));
  // Owner-only: the replica holds customers' personal data. SQLite gives the -wal and -shm files
  // the database file's permissions, so creating it 0600 first covers all three.
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  // Commits are not fsynced (an fsync per local mutation was most of its latency, p99 11.6 ms):
  // in WAL mode a commit survives the app crashing or being killed; a power cut or an OS crash can
  // lose the last commits. Nothing that left the machine can be lost: markSent commits with FULL,
  // which fsyncs the WAL and every commit before it, before a push is sent (docs/benchmarks.md).
  db.pragma(`synchronous = ${REPLICA_SYNCHRONOUS}`);
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${REPLICA_CACHE_KIB}`);
  migrateReplica(db);
  const stopCheckpoints = checkpointBetweenTasks(db);
  const stopMerges = mergeFullTextBetweenTasks(db);
  const stopTimers = () => {
    stopCheckpoints();
    stopMerges();
  };
  try {
    return new Replica(db, file, identity, options.mutationUpcasts ?? MUTATION_UPCASTS, stopTimers);
  } catch (error) {
    stopTimers();
    throw error;
  }
}

/** Deletes a replica file and its WAL and shared-memory files. */
export function deleteReplicaFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(`${file}${suffix}`, { force: true });
}

/**
 * The local replica of one (server, tenant, user): base rows as the service last sent them, the
 * outbox of local mutations, and their optimistic effect. All methods are synchronous: each runs
 * inside one better-sqlite3 transaction, which must not await.
 */
export class Replica {
  readonly projection: TicketProjection;
  readonly held: HeldReplies;
  readonly window: OfflineWindow;

  constructor(
    readonly db: Database,
    readonly file: string,
    private identity: ReplicaIdentity,
    mutationUpcasts: readonly MutationUpcast[],
    private readonly stopTimers: () => void,
  ) {
    this.projection = new TicketProjection(db, this.reader());
    this.held = new HeldReplies(db, identity.userId);
    this.window = new OfflineWindow(db);
    this.db.transaction(() => {
      this.setMetaDefault('clientId', randomUUID());
      this.setMetaDefault('cursor', '0');
      this.setMetaDefault('nextMutationId', '1');
      this.setMetaDefault('generation', '0');
      this.setMeta('identity', JSON.stringify(identity));
      // Mutations kept by an older version of the app, in the format it wrote them in.
      if (upcastStoredMutations(this.db, mutationUpcasts)) this.rebase(new Set());
    })();
  }

  close(): void {
    this.stopTimers();
    if (this.db.open) this.db.close();
  }

  // ---- meta -------------------------------------------------------------------------------

  meta(key: string): string | null {
    const row = cachedStatement(this.db, 'SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    cachedStatement(
      this.db,
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  private setMetaDefault(key: string, value: string): void {
    cachedStatement(this.db, 'INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(
      key,
      value,
    );
  }

  get clientId(): string {
    return this.meta('clientId')!;
  }

  get cursor(): string {
    return this.meta('cursor')!;
  }

  get epoch(): string | null {
    return this.meta('epoch');
  }

  /** True while a pull from 0 is under way (it resumes from its cursor after a restart). */
  get snapshotInProgress(): boolean {
    return this.meta('snapshot') === '1';
  }

  /** The user's role may change on the server; mutations are re-run with the newest one. */
  updateRole(role: Role): void {
    this.identity = { ...this.identity, role };
    this.setMeta('identity', JSON.stringify(this.identity));
  }

  get role(): Role {
    return this.identity.role;
  }

  // ---- reading ------------------------------------------------------------------------------

  /** Rows as callers see them: the local overlay where there is one, else what the service said. */
  reader(): RowReader {
    const overlay = cachedStatement(
      this.db,
      'SELECT data FROM overlay WHERE entity = ? AND id = ?',
    );
    const base = cachedStatement(this.db, 'SELECT data FROM base WHERE entity = ? AND id = ?');
    return {
      get: <N extends EntityName>(entity: N, id: string): EntityOf<N> | null => {
        const local = overlay.get(entity, id) as { data: string | null } | undefined;
        const row = local ?? (base.get(entity, id) as { data: string } | undefined);
        return row?.data ? (JSON.parse(row.data) as EntityOf<N>) : null;
      },
    };
  }

  /**
   * One row as the agent sees it (`current`, pending edits applied), as the service last sent it
   * (`confirmed`), and the fields where the two differ (`updatedAt` aside: it differs whenever
   * anything does). Null when the agent sees no such row.
   */
  editable<N extends EntityName>(entity: N, id: string): EditableRow<EntityOf<N>> | null {
    const current = this.reader().get(entity, id);
    if (!current) return null;
    const row = cachedStatement(this.db, 'SELECT data FROM base WHERE entity = ? AND id = ?').get(
      entity,
      id,
    ) as { data: string } | undefined;
    const confirmed = row ? (JSON.parse(row.data) as EntityOf<N>) : null;
    const after = current as Record<string, unknown>;
    const before = (confirmed ?? {}) as Record<string, unknown>;
    const pendingFields = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter(
      (field) =>
        field !== 'updatedAt' && JSON.stringify(after[field]) !== JSON.stringify(before[field]),
    );
    return { current, confirmed, pendingFields };
  }

  /** Every effective row of an entity (small entities: users, contacts for pickers). */
  all<N extends EntityName>(entity: N): Array<EntityOf<N>> {
    const rows = cachedStatement(
      this.db,
      `SELECT coalesce(o.data, CASE WHEN o.id IS NULL THEN b.data END) AS data FROM base b
         LEFT JOIN overlay o ON o.entity = b.entity AND o.id = b.id WHERE b.entity = ?
         UNION ALL
         SELECT o.data FROM overlay o WHERE o.entity = ? AND o.data IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM base b WHERE b.entity = o.entity AND b.id = o.id)`,
    ).all(entity, entity) as Array<{ data: string | null }>;
    return rows.filter((r) => r.data !== null).map((r) => JSON.parse(r.data!) as EntityOf<N>);
  }

  counts(): { pending: number; needsAttention: number } {
    const pending = cachedStatement(
      this.db,
      "SELECT count(*) AS n FROM outbox WHERE name <> 'noop' AND (result IS NULL OR json_extract(result, '$.status') = 'applied')",
    ).get() as { n: number };
    const attention = cachedStatement(
      this.db,
      'SELECT count(*) AS n FROM needs_attention WHERE resolved_at IS NULL',
    ).get() as { n: number };
    return { pending: pending.n, needsAttention: attention.n };
  }

  // ---- local mutations ---------------------------------------------------------------------

  private context(now: string): MutationContext {
    return {
      now,
      tenantId: this.identity.tenantId,
      userId: this.identity.userId,
      role: this.identity.role,
    };
  }

  /**
   * Validates a mutation, appends it to the outbox and applies it to the local view, in one
   * transaction. `base` is filled in from what the agent sees now, so the service can tell a
   * concurrent change apart from this one.
   */
  mutate(
    name: string,
    args: unknown,
    now: string,
    /** Values the agent decided against (the service's side of a conflict), instead of the view's. */
    baseOverride?: Record<string, unknown>,
  ): { mutationId: number } {
    const ctx = this.context(now);
    const prepared = prepareMutation(name, args, ctx);
    if (!prepared.ok)
      throw new LocalMutationError(prepared.code, prepared.message, prepared.details);
    const planned = { name: name as MutationName, args: args as Record<string, unknown> };
    const size = Buffer.byteLength(JSON.stringify(planned));
    if (size > MUTATION_MAX_BYTES) {
      throw new LocalMutationError(
        'payload_too_large',
        `A change may be at most ${MUTATION_MAX_BYTES / 1024} KiB.`,
      );
    }
    return this.db.transaction(() => {
      const reader = this.reader();
      const before = new Map(
        prepared.mutation.reads.map((ref) => [
          `${ref.entity}:${ref.id}`,
          reader.get(ref.entity, ref.id),
        ]),
      );
      const beforeReader: RowReader = {
        get: (entity, id) => (before.get(`${entity}:${id}`) ?? null) as never,
      };
      const seen = this.held.seenFor(name, planned.args, reader);
      const viewBase = this.baseFor(planned, reader, ctx);
      const base = viewBase && baseOverride ? { ...viewBase, ...baseOverride } : viewBase;
      const outcome = prepared.mutation.run(reader, base);
      if (!outcome.ok) throw new LocalMutationError(outcome.code, outcome.message, outcome.details);
      const mutationId = Number(this.meta('nextMutationId'));
      this.setMeta('nextMutationId', String(mutationId + 1));
      const textChanged = new Set<string>();
      const touched = this.writeOverlay(outcome.writes, textChanged);
      const inverse = inverseOf(planned, beforeReader, this.reader(), ctx.userId, ctx.tenantId);
      cachedStatement(
        this.db,
        'INSERT INTO outbox (id, name, args, base, created_at, inverse, seen) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        mutationId,
        name,
        JSON.stringify(args),
        base ? JSON.stringify(base) : null,
        now,
        inverse ? JSON.stringify(inverse) : null,
        seen,
      );
      this.projection.refresh(touched, undefined, textChanged);
      this.dropHeldOfDeleted(now);
      return { mutationId };
    })();
  }

  /** Held replies go with their ticket (see HeldReplies.dropDeleted); run after the view changes. */
  private dropHeldOfDeleted(now = new Date().toISOString()): void {
    const reader = this.reader();
    this.held.dropDeleted((id) => reader.get('ticket', id) !== null, now);
  }

  /**
   * Queues the mutations `plan` makes from the rows as they are now, in one transaction: all of
   * them or, one refused, none (a macro is never half applied).
   */
  mutateAll(
    plan: (rows: RowReader) => ReadonlyArray<{ name: string; args: unknown }>,
    now: string,
  ): { mutationIds: number[] } {
    return this.db.transaction(() => ({
      mutationIds: plan(this.reader()).map((m) => this.mutate(m.name, m.args, now).mutationId),
    }))();
  }

  private baseFor(
    planned: PlannedMutation,
    reader: RowReader,
    ctx: MutationContext,
  ): Record<string, unknown> | undefined {
    const spec = FIELD_MUTATIONS[planned.name];
    if (!spec) return undefined;
    const args = planned.args as LooseArgs;
    const row = reader.get(spec.entity, spec.id(args, ctx)) as Record<string, unknown> | null;
    if (!row) return undefined;
    return Object.fromEntries(spec.fields(args).map((f) => [f, row[f] ?? null]));
  }

  /**
   * Takes back the newest pending change: one not yet sent becomes `noop` (its id stays, so the
   * numbering has no gap); one already sent is followed by its compensating mutation.
   */
  undoLast(now: string): { undone: number; by: 'noop' | 'compensation' } {
    const last = cachedStatement(
      this.db,
      // A conflict or rejection never took effect (it waits in needs-attention): nothing to undo.
      `SELECT id, sent_at, inverse FROM outbox WHERE name <> 'noop' AND undone = 0
           AND (result IS NULL OR json_extract(result, '$.status') NOT IN ('conflict', 'rejected'))
         ORDER BY id DESC LIMIT 1`,
    ).get() as { id: number; sent_at: string | null; inverse: string | null } | undefined;
    if (!last) throw new LocalMutationError('not_found', 'There is no pending change to undo.');
    if (last.sent_at === null) {
      this.db.transaction(() => {
        cachedStatement(
          this.db,
          "UPDATE outbox SET name = 'noop', args = '{}', base = NULL, inverse = NULL WHERE id = ?",
        ).run(last.id);
        this.rebase(new Set());
      })();
      return { undone: last.id, by: 'noop' };
    }
    if (!last.inverse)
      throw new LocalMutationError(
        'bad_request',
        'This change has been sent and cannot be taken back.',
      );
    const inverse = JSON.parse(last.inverse) as PlannedMutation;
    this.db.transaction(() => {
      cachedStatement(this.db, 'UPDATE outbox SET undone = 1 WHERE id = ?').run(last.id);
      const { mutationId } = this.mutate(inverse.name, inverse.args, now);
      cachedStatement(this.db, 'UPDATE outbox SET undone = 1 WHERE id = ?').run(mutationId);
    })();
    return { undone: last.id, by: 'compensation' };
  }

  /**
   * Writes mutator output into the overlay; returns the ids of tickets whose projection changed,
   * and adds to `textChanged` those whose full text or customer-reply clock may have changed (a
   * status or tag change leaves both, and so needs no new full-text row).
   */
  private writeOverlay(writes: EntityWrite[], textChanged?: Set<string>): Set<string> {
    const touched = new Set<string>();
    const reader = this.reader();
    const upsert = cachedStatement(
      this.db,
      `INSERT INTO overlay (entity, id, data, parent_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data, parent_id = excluded.parent_id`,
    );
    for (const write of writes) {
      const sameTicketText =
        textChanged !== undefined &&
        write.op === 'upsert' &&
        write.entity === 'ticket' &&
        sameText(reader.get('ticket', write.id), write.data as Ticket);
      if (write.op === 'upsert') {
        upsert.run(
          write.entity,
          write.id,
          JSON.stringify(write.data),
          parentOf(write.entity, write.data),
        );
      } else {
        upsert.run(write.entity, write.id, null, null);
        for (const cascade of CASCADE_DELETES[write.entity] ?? []) {
          // Named: for the UNION's sort by id the planner would rather walk base_key over every
          // row of the entity than sort a ticket's few children.
          const children = cachedStatement(
            this.db,
            `SELECT id FROM base INDEXED BY base_by_parent WHERE parent_id = ? AND entity = ? UNION SELECT id FROM overlay WHERE parent_id = ? AND entity = ?`,
          ).all(write.id, cascade.entity, write.id, cascade.entity) as Array<{ id: string }>;
          for (const child of children) upsert.run(cascade.entity, child.id, null, write.id);
        }
      }
      for (const id of this.projection.ticketsAffectedBy(
        write.entity,
        write.id,
        write.op === 'upsert' ? write.data : null,
      )) {
        touched.add(id);
        if (!sameTicketText) textChanged?.add(id);
      }
    }
    return touched;
  }

  /**
   * Recomputes the overlay from base: every pending mutation re-run in id order with the same
   * mutators the service runs. Mutations the service answered with a conflict or a rejection are
   * left out: their effect will never arrive, and they wait in needs-attention instead.
   */
  private rebase(alsoTouched: Set<string>, page?: PageRows, now?: string): void {
    const touched = new Set(alsoTouched);
    // A ticket the overlay changed, before or after, may differ from base in any field.
    const local = new Set<string>();
    const old = cachedStatement(this.db, 'SELECT entity, id, data FROM overlay').all() as Array<{
      entity: EntityName;
      id: string;
      data: string | null;
    }>;
    for (const row of old) {
      for (const id of this.projection.ticketsAffectedBy(
        row.entity,
        row.id,
        row.data ? JSON.parse(row.data) : null,
      ))
        local.add(id);
    }
    cachedStatement(this.db, 'DELETE FROM overlay').run();
    const pending = cachedStatement(
      this.db,
      `SELECT id, name, args, base, created_at FROM outbox
         WHERE result IS NULL OR json_extract(result, '$.status') NOT IN ('conflict', 'rejected')
         ORDER BY id`,
    ).all() as Array<{
      id: number;
      name: string;
      args: string;
      base: string | null;
      created_at: string;
    }>;
    for (const row of pending) {
      const prepared = prepareMutation(
        row.name,
        JSON.parse(row.args),
        this.context(row.created_at),
      );
      if (!prepared.ok) continue;
      const outcome = prepared.mutation.run(
        this.reader(),
        row.base ? JSON.parse(row.base) : undefined,
      );
      if (!outcome.ok) continue;
      for (const id of this.writeOverlay(outcome.writes)) local.add(id);
    }
    for (const id of local) {
      touched.add(id);
      page?.textChanged.add(id);
    }
    this.projection.refresh(touched, page);
    this.dropHeldOfDeleted(now);
  }

  // ---- push ---------------------------------------------------------------------------------

  /** The next batch to push: mutations without a known result, in id order, under the limits. */
  pushBatch(maxCount = 1000, maxBytes = 900 * 1024): MutationEnvelope[] {
    const rows = cachedStatement(
      this.db,
      'SELECT id, name, args, base FROM outbox WHERE result IS NULL ORDER BY id LIMIT ?',
    ).all(maxCount) as Array<{ id: number; name: string; args: string; base: string | null }>;
    const batch: MutationEnvelope[] = [];
    let bytes = 0;
    for (const row of rows) {
      // UTF-8 bytes as sent (not UTF-16 length), plus the envelope around args and base.
      bytes +=
        Buffer.byteLength(row.args) +
        Buffer.byteLength(row.base ?? '') +
        Buffer.byteLength(row.name) +
        64;
      if (batch.length > 0 && bytes > maxBytes) break;
      batch.push({
        id: row.id,
        name: row.name,
        args: JSON.parse(row.args),
        ...(row.base ? { base: JSON.parse(row.base) } : {}),
      });
    }
    return batch;
  }

  /**
   * Marks a batch as about to be sent, durably: this commit fsyncs the WAL, and with it every
   * earlier commit, so a mutation the service may apply is never lost locally and its id never
   * given to another one, even by a power cut.
   */
  markSent(ids: number[], now: string): void {
    const mark = cachedStatement(
      this.db,
      'UPDATE outbox SET sent_at = coalesce(sent_at, ?) WHERE id = ?',
    );
    this.db.pragma('synchronous = FULL');
    try {
      this.db.transaction(() => {
        ids.forEach((id) => mark.run(now, id));
        // A commit that changed no page (a batch sent again) writes nothing and fsyncs nothing:
        // counting the marks makes every one of them a write, and so a barrier.
        this.setMeta('sendMarks', String(Number(this.meta('sendMarks') ?? '0') + 1));
      })();
    } finally {
      this.db.pragma(`synchronous = ${REPLICA_SYNCHRONOUS}`);
    }
  }

  /**
   * Records the service's answers. A conflict or a rejection becomes a needs-attention item with
   * both values or the reason; nothing the agent did is dropped without a trace.
   */
  applyPushResults(results: MutationResult[], now: string): void {
    this.db.transaction(() => {
      const touched = new Set<string>();
      let dropped = false;
      for (const result of results) {
        const processed: ProcessedResult | null =
          result.status === 'duplicate' ? result.original : result;
        // A duplicate whose original was forgotten (after 30 days) was processed: treat as applied.
        const recorded = processed ?? { id: result.id, status: 'applied' as const };
        const row = cachedStatement(
          this.db,
          'SELECT name, args, result FROM outbox WHERE id = ?',
        ).get(result.id) as { name: string; args: string; result: string | null } | undefined;
        if (!row || row.result !== null) continue;
        cachedStatement(this.db, 'UPDATE outbox SET result = ? WHERE id = ?').run(
          JSON.stringify(recorded),
          result.id,
        );
        if (recorded.status === 'conflict' || recorded.status === 'rejected') {
          const args = JSON.parse(row.args) as Record<string, unknown>;
          const target = this.targetOf(row.name, args);
          cachedStatement(
            this.db,
            `INSERT INTO needs_attention (mutation_id, name, args, kind, details, entity, entity_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            result.id,
            row.name,
            row.args,
            recorded.status,
            JSON.stringify(
              recorded.status === 'conflict'
                ? { conflicts: recorded.conflicts }
                : { error: recorded.error },
            ),
            target?.entity ?? null,
            target?.id ?? null,
            now,
          );
          if (target?.entity === 'ticket') touched.add(target.id);
          dropped = true;
        }
      }
      // Applied mutations stay in the overlay until the pull brings their effect: only a conflict
      // or a rejection (its effect will never come) changes the overlay. Rebasing on every answer
      // made pushing n mutations in small batches cost O(n²).
      if (dropped) this.rebase(touched);
    })();
  }

  private targetOf(
    name: string,
    args: Record<string, unknown>,
  ): { entity: EntityName; id: string } | null {
    const prepared = prepareMutation(name, args, this.context(new Date(0).toISOString()));
    if (!prepared.ok)
      return typeof args.ticketId === 'string' ? { entity: 'ticket', id: args.ticketId } : null;
    const ticket = prepared.mutation.reads.find((r) => r.entity === 'ticket');
    return ticket ?? prepared.mutation.reads[0] ?? null;
  }

  // ---- pull ---------------------------------------------------------------------------------

  /** Starts a snapshot: the rows it delivers get a new generation; older ones go when it ends. */
  beginSnapshot(): void {
    this.db.transaction(() => {
      this.setMeta('generation', String(Number(this.meta('generation')) + 1));
      this.setMeta('snapshot', '1');
      this.setMeta('cursor', '0');
      setFullTextMerging(this.db, 'bulk');
      deferQueryIndexes(this.db);
    })();
  }

  /**
   * Writes one pull page, moves the cursor and rebases the pending mutations, all in one
   * transaction: a crash leaves the replica at the previous page or this one, never in between.
   * A queued reply the page shows to be stale is held (see HeldReplies) in the same transaction.
   */
  applyPullPage(page: PullResponse, now = new Date().toISOString()): PageOutcome {
    return this.db.transaction(() => {
      const generation = Number(this.meta('generation'));
      const upsert = cachedStatement(
        this.db,
        `INSERT INTO base (entity, id, data, parent_id, generation) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data, parent_id = excluded.parent_id, generation = excluded.generation`,
      );
      const refresh = cachedStatement(
        this.db,
        'UPDATE base SET data = ? WHERE entity = ? AND id = ? AND generation = ? AND parent_id IS ?',
      );
      const snapshot = this.snapshotInProgress;
      const remove = cachedStatement(this.db, 'DELETE FROM base WHERE entity = ? AND id = ?');
      const baseTicket = this.db
        .prepare("SELECT data FROM base WHERE entity = 'ticket' AND id = ?")
        .pluck();
      const touched = new Set<string>();
      const written = new PageRows();
      const watch = this.held.watchPage();
      const windowWatch = this.window.watchPage(this.snapshotInProgress, now);
      let applied = 0;
      let skipped = 0;
      for (const raw of page.changes) {
        const change = parseKnownChange(raw);
        // An entity or shape from a newer service: skipped, and the cursor still moves past it.
        if (!change) {
          skipped++;
          continue;
        }
        watch?.note(change);
        const note = (ids: string[], textChanged: boolean) => {
          for (const id of ids) {
            touched.add(id);
            if (textChanged) written.textChanged.add(id);
          }
        };
        if (change.op === 'upsert') {
          const data = change.data as Record<string, unknown>;
          // A ticket change that leaves its text as it was needs no new full-text row, and so no
          // read of its comments.
          const before =
            change.entity === 'ticket' ? (baseTicket.get(change.id) as string | undefined) : null;
          if (change.entity === 'ticket') windowWatch(change.data, before !== undefined);
          const json = JSON.stringify(data);
          const parent = parentOf(change.entity, data);
          // A row already here keeps its generation and parent outside a snapshot: writing `data`
          // alone leaves base's two indexes as they are (SQLite rewrites the index entries of every
          // column a SET names). 1,000 ticket changes wrote 1,700 pages of base, now 970.
          const rewritten =
            !snapshot && refresh.run(json, change.entity, change.id, generation, parent).changes;
          if (!rewritten) upsert.run(change.entity, change.id, json, parent, generation);
          written.put(change.entity, change.id, data);
          note(
            this.projection.ticketsAffectedBy(change.entity, change.id, data),
            change.entity !== 'ticket' ||
              !sameText(before ? (JSON.parse(before) as Ticket) : null, change.data),
          );
        } else {
          note(this.projection.ticketsAffectedBy(change.entity, change.id, null), true);
          remove.run(change.entity, change.id);
          written.put(change.entity, change.id, null);
        }
        applied++;
      }
      watch?.finish(now);
      this.setMeta('cursor', page.cursor);
      this.setMeta('epoch', page.epoch);
      if (!page.hasMore) {
        if (this.snapshotInProgress) {
          this.window.endSnapshot(generation, now);
          const stale = cachedStatement(
            this.db,
            'SELECT entity, id, data FROM base WHERE generation < ?',
          ).all(generation) as Array<{
            entity: EntityName;
            id: string;
            data: string;
          }>;
          for (const row of stale) {
            for (const id of this.projection.ticketsAffectedBy(
              row.entity,
              row.id,
              JSON.parse(row.data),
            )) {
              touched.add(id);
              written.textChanged.add(id);
            }
          }
          cachedStatement(this.db, 'DELETE FROM base WHERE generation < ?').run(generation);
          this.setMeta('snapshot', '0');
          setFullTextMerging(this.db, 'between-tasks');
          restoreQueryIndexes(this.db);
        }
        // Only now is every effect of these mutations in base: their optimistic copies can go.
        cachedStatement(this.db, 'DELETE FROM outbox WHERE id <= ? AND result IS NOT NULL').run(
          page.lastMutationId,
        );
        // A result recorded above what the service now reports was lost on its side (restored or
        // forgotten client): send those again instead of showing effects the service lacks.
        cachedStatement(
          this.db,
          `UPDATE outbox SET result = NULL, sent_at = NULL WHERE id > ? AND result IS NOT NULL
               AND json_extract(result, '$.status') = 'applied'`,
        ).run(page.lastMutationId);
      }
      this.rebase(touched, written, now);
      return { applied, skipped, completed: !page.hasMore };
    })();
  }

  /**
   * Replaces what base holds of these tickets (each one's row, comments and attachments) with
   * `rows`, outside a pull: a ticket fetched whole from the service, or tickets the offline window
   * lets go (no rows). Rows written now survive a snapshot under way; later pulls bring their
   * changes as usual.
   */
  replaceTickets(
    ticketIds: readonly string[],
    rows: ReadonlyArray<{ entity: EntityName; id: string; data: Record<string, unknown> }>,
  ): void {
    this.db.transaction(() => {
      const generation = Number(this.meta('generation'));
      const dropTicket = cachedStatement(
        this.db,
        "DELETE FROM base WHERE entity = 'ticket' AND id = ?",
      );
      const dropChildren = cachedStatement(this.db, 'DELETE FROM base WHERE parent_id = ?');
      const insert = cachedStatement(
        this.db,
        `INSERT INTO base (entity, id, data, parent_id, generation) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data, parent_id = excluded.parent_id, generation = excluded.generation`,
      );
      const touched = new Set(ticketIds);
      for (const id of ticketIds) {
        dropTicket.run(id);
        dropChildren.run(id);
      }
      for (const row of rows) {
        const parent = parentOf(row.entity, row.data);
        insert.run(row.entity, row.id, JSON.stringify(row.data), parent, generation);
        touched.add(row.entity === 'ticket' ? row.id : (parent ?? row.id));
      }
      // Pending changes to these tickets are applied again on top of what is here now.
      const overlaid =
        cachedStatement(this.db, 'SELECT 1 FROM overlay LIMIT 1').get() !== undefined;
      if (overlaid) this.rebase(touched);
      else this.projection.refresh(touched);
    })();
  }

  /** After `cursor_expired` or a new epoch: pull again from 0, keeping every pending mutation. */
  restartFromZero(): void {
    this.beginSnapshot();
  }

  /**
   * Takes a new client id and numbers what is still pending from 1, in the same order: the
   * service lost mutations it had acknowledged (restored from a backup: `processedThrough` is the
   * last id it still has), or this client id is not ours (null: nothing known). Rows the service
   * still has are not sent again (their effect arrives with the snapshot that follows); rows it
   * lost are.
   */
  renumber(processedThrough: number | null = null): string {
    return this.db.transaction(() => {
      const clientId = randomUUID();
      cachedStatement(
        this.db,
        `DELETE FROM outbox WHERE result IS NOT NULL
             AND (json_extract(result, '$.status') IN ('conflict', 'rejected') OR id <= ?)`,
      ).run(processedThrough ?? Number.MAX_SAFE_INTEGER);
      const rows = cachedStatement(this.db, 'SELECT id FROM outbox ORDER BY id').all() as Array<{
        id: number;
      }>;
      cachedStatement(this.db, 'UPDATE outbox SET id = -id, result = NULL, sent_at = NULL').run();
      rows.forEach((row, i) =>
        cachedStatement(this.db, 'UPDATE outbox SET id = ? WHERE id = ?').run(i + 1, -row.id),
      );
      this.setMeta('nextMutationId', String(rows.length + 1));
      this.setMeta('clientId', clientId);
      this.beginSnapshot();
      this.rebase(new Set());
      return clientId;
    })();
  }

  // ---- needs attention ---------------------------------------------------------------------

  needsAttention(): NeedsAttentionItem[] {
    const rows = cachedStatement(
      this.db,
      'SELECT * FROM needs_attention WHERE resolved_at IS NULL ORDER BY id',
    ).all() as Array<Record<string, string | number | null>>;
    return rows.map((r) => {
      const details = JSON.parse(r.details as string) as {
        conflicts?: FieldConflict[];
        error?: { code: string; message: string };
      };
      return {
        id: r.id as number,
        mutationId: r.mutation_id as number,
        name: r.name as string,
        args: JSON.parse(r.args as string) as Record<string, unknown>,
        kind: r.kind as 'conflict' | 'rejected',
        conflicts: details.conflicts ?? [],
        error: details.error ?? null,
        entity: (r.entity as string | null) ?? null,
        entityId: (r.entity_id as string | null) ?? null,
        createdAt: r.created_at as string,
      };
    });
  }

  /**
   * Settles an item. `theirs` keeps the service's values; `mine` sends the agent's values again as
   * a new mutation based on what the service has now.
   */
  resolveAttention(id: number, choice: 'mine' | 'theirs', now: string): void {
    const item = this.needsAttention().find((i) => i.id === id);
    if (!item) throw new LocalMutationError('not_found', 'No such item.');
    this.db.transaction(() => {
      if (choice === 'mine' && item.kind === 'conflict') {
        const fields = Object.fromEntries(item.conflicts.map((c) => [c.field, c.mine]));
        const args =
          item.name === 'setCommunicationPreferences'
            ? { ...item.args, ...fields }
            : { ...item.args, fields };
        // Based on the service's values: the view may not show them yet, and keeping mine must
        // not conflict again with what I have just seen.
        const base = Object.fromEntries(item.conflicts.map((c) => [c.field, c.server]));
        this.mutate(item.name, args, now, base);
      } else if (choice === 'mine') {
        this.mutate(item.name, item.args, now);
      }
      cachedStatement(
        this.db,
        'UPDATE needs_attention SET resolved_at = ?, resolution = ? WHERE id = ?',
      ).run(now, choice, id);
      const ticketIds = item.entity === 'ticket' && item.entityId ? [item.entityId] : [];
      this.projection.refresh(new Set(ticketIds));
    })();
  }

  ticket(id: string): (Ticket & { pending: boolean }) | null {
    const ticket = this.reader().get('ticket', id);
    if (!ticket) return null;
    // The projection's flag: a pending comment makes the ticket pending too.
    const row = cachedStatement(this.db, 'SELECT pending FROM tickets WHERE id = ?').get(id) as
      { pending: number } | undefined;
    const pending = row?.pending === 1;
    return { ...ticket, pending };
  }
}
