import { prepareMutation, type PreparedMutation } from '../../src-shared/mutators/registry';
import {
  reject,
  type MutationContext,
  type MutationOutcome,
} from '../../src-shared/mutators/types';
import {
  MUTATION_MAX_BYTES,
  type MutationResult,
  type PullQuery,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../src-shared/protocol/sync';
import { ApiError } from '../app/api-error';
import type { Viewer } from '../app/viewer';
import type { PulledChange, Storage, TenantRow } from '../storage/storage';
import { decodeCursor, encodeCursor } from './cursor';
import { KeyedLock } from './keyed-lock';
import { contentHash, mutationContent } from './mutation-hash';

export interface SyncLogger {
  error(details: object, message: string): void;
}

export class SyncService {
  private readonly lock = new KeyedLock();
  /** The time the last mutation was applied at here, in ms (see appliedAt). */
  private lastAppliedAt = 0;

  constructor(
    private readonly storage: Storage,
    private readonly logger: SyncLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * The clock, but always after the last mutation applied here: a push's mutations are applied
   * within the same millisecond, and comments sort by (createdAt, id), so two comments a client
   * wrote one after the other could show in the order of their random ids.
   */
  private appliedAt(): string {
    this.lastAppliedAt = Math.max(this.clock().getTime(), this.lastAppliedAt + 1);
    return new Date(this.lastAppliedAt).toISOString();
  }

  private async tenantOf(viewer: Viewer): Promise<TenantRow> {
    const tenant = await this.storage.getTenant(viewer.tenantId);
    if (!tenant) throw new ApiError('unauthorized', 'The session has ended.');
    return tenant;
  }

  /** Binds the client to the viewer on first use; another user of the tenant gets 403. */
  private async bind(viewer: Viewer, clientId: string): Promise<number> {
    const client = await this.storage.bindClient(
      viewer.tenantId,
      clientId,
      viewer.userId,
      this.clock().toISOString(),
    );
    if (client.userId !== viewer.userId) {
      throw new ApiError('forbidden', 'This client id belongs to another user.');
    }
    return client.lastMutationId;
  }

  /**
   * One pull page as JSON text (a PullResponse): rows go out as stored, without being parsed and
   * serialised again, which is most of the cost of an initial sync.
   */
  async pull(viewer: Viewer, clientId: string, query: PullQuery): Promise<string> {
    const cursor = decodeCursor(query.cursor);
    if (!cursor) {
      throw new ApiError('bad_request', 'Malformed cursor.', {
        details: [{ path: 'cursor', message: 'malformed' }],
      });
    }
    return this.lock.run(`${viewer.tenantId}:${clientId}`, async () => {
      await this.bind(viewer, clientId);
      const tenant = await this.tenantOf(viewer);
      let afterSeq = 0;
      let snapshotSeq: number | null = tenant.lastSeq;
      if (cursor !== 'start') {
        const expired =
          cursor.epoch !== tenant.epoch ||
          cursor.visibility !== viewer.visibilityVersion ||
          // A snapshot never sends tombstones at or below the seq it started at, so purging them
          // does not expire its cursor.
          Math.max(cursor.seq, cursor.snapshotSeq ?? 0) < tenant.purgedSeq ||
          cursor.seq > tenant.lastSeq;
        if (expired) {
          throw new ApiError(
            'cursor_expired',
            'This cursor has expired: pull again from 0 and keep pending changes.',
          );
        }
        afterSeq = cursor.seq;
        snapshotSeq = cursor.snapshotSeq;
      }
      const page = await this.storage.pull({
        tenantId: viewer.tenantId,
        userId: viewer.userId,
        role: viewer.role,
        clientId,
        afterSeq,
        snapshotSeq,
        limit: query.limit,
        // A window on what a snapshot sends; afterwards every change goes out (PROTOCOL extension).
        updatedSince:
          snapshotSeq !== null && query.updatedSince
            ? new Date(query.updatedSince).toISOString()
            : null,
      });
      const rest: Omit<PullResponse, 'changes'> = {
        cursor: encodeCursor({
          epoch: tenant.epoch,
          visibility: viewer.visibilityVersion,
          seq: page.lastSeq,
          snapshotSeq: page.hasMore ? snapshotSeq : null,
        }),
        hasMore: page.hasMore,
        remaining: page.remaining,
        lastMutationId: page.lastMutationId,
        epoch: tenant.epoch,
      };
      const changes = page.changes.map((change) => changeJson(change, viewer)).join(',');
      return `{"changes":[${changes}],${JSON.stringify(rest).slice(1)}`;
    });
  }

  async push(viewer: Viewer, clientId: string, request: PushRequest): Promise<PushResponse> {
    if (request.clientId !== clientId) {
      throw new ApiError('bad_request', 'clientId must equal the X-Client-Id header.', {
        details: [{ path: 'clientId', message: 'does not match X-Client-Id' }],
      });
    }
    return this.lock.run(`${viewer.tenantId}:${clientId}`, async () => {
      let last = await this.bind(viewer, clientId);
      const tenant = await this.tenantOf(viewer);
      const firstNew = request.mutations.find((m) => m.id > last);
      if (firstNew && firstNew.id !== last + 1) {
        throw new ApiError(
          'mutation_gap',
          `Expected mutation ${last + 1} next, got ${firstNew.id}.`,
          {
            lastMutationId: last,
          },
        );
      }
      const results: MutationResult[] = [];
      for (const mutation of request.mutations) {
        const content = mutationContent(mutation);
        const hash = contentHash(content);
        if (mutation.id <= last) {
          const seen = await this.answerSeen(viewer, clientId, mutation.id, hash);
          results.push(seen ?? { id: mutation.id, status: 'duplicate', original: null });
          continue;
        }
        const ctx: MutationContext = {
          now: this.appliedAt(),
          tenantId: viewer.tenantId,
          userId: viewer.userId,
          role: viewer.role,
        };
        try {
          results.push(
            await this.storage.processMutation({
              tenantId: viewer.tenantId,
              clientId,
              mutationId: mutation.id,
              hash,
              ctx,
              base: mutation.base,
              prepared: this.prepare(mutation, Buffer.byteLength(content), ctx),
            }),
          );
        } catch (error) {
          // `this.lock` holds in this process only: another service process on the same database
          // may have taken the mutation meanwhile (the client sent it there too, a retry after a
          // lost answer). The storage refused to apply it twice; answer as for any one seen.
          const seen = await this.answerSeen(viewer, clientId, mutation.id, hash);
          if (!seen) throw error;
          results.push(seen);
        }
        last = mutation.id;
      }
      return { results, lastMutationId: last, epoch: tenant.epoch };
    });
  }

  /** The answer to a mutation id recorded before: its result, or `id_reused` for other content. */
  private async answerSeen(
    viewer: Viewer,
    clientId: string,
    mutationId: number,
    hash: string,
  ): Promise<MutationResult | null> {
    const record = await this.storage.getMutationRecord(viewer.tenantId, clientId, mutationId);
    if (!record) return null;
    if (record.hash !== hash) {
      return {
        id: mutationId,
        status: 'rejected',
        error: { code: 'id_reused', message: 'This mutation id was used for another mutation.' },
      };
    }
    return { id: mutationId, status: 'duplicate', original: record.result };
  }

  private prepare(
    mutation: PushRequest['mutations'][number],
    bytes: number,
    ctx: MutationContext,
  ): PreparedMutation | MutationOutcome {
    if (bytes > MUTATION_MAX_BYTES) {
      return reject('payload_too_large', `A mutation may be at most ${MUTATION_MAX_BYTES} bytes.`);
    }
    const prepared = prepareMutation(mutation.name, mutation.args, ctx);
    if (!prepared.ok) return prepared;
    // A mutator that throws is a bug, but it must not block the client's later mutations.
    return {
      reads: prepared.mutation.reads,
      run: (rows, base) => {
        try {
          return prepared.mutation.run(rows, base);
        } catch (error) {
          this.logger.error({ err: error, mutation: mutation.name }, 'mutator failed');
          return reject('bad_request', 'This mutation could not be applied.');
        }
      },
    };
  }

  /** The cursor of the tenant's log head for this viewer, sent with live pokes. */
  async headCursor(viewer: Viewer, lastSeq: number): Promise<string> {
    const tenant = await this.tenantOf(viewer);
    return encodeCursor({
      epoch: tenant.epoch,
      visibility: viewer.visibilityVersion,
      seq: lastSeq,
      snapshotSeq: null,
    });
  }
}

/** A change as JSON text; admin-only company fields go to admins only. */
function changeJson(change: PulledChange, viewer: Viewer): string {
  const head = `{"seq":${change.seq},"entity":${JSON.stringify(change.entity)},"id":${JSON.stringify(change.id)}`;
  if (change.op === 'delete' || change.data === null) return `${head},"op":"delete"}`;
  let data = change.data;
  if (change.entity === 'company' && viewer.role !== 'admin') {
    const { seats: _seats, ...rest } = JSON.parse(data) as Record<string, unknown>;
    data = JSON.stringify(rest);
  }
  return `${head},"op":"upsert","data":${data}}`;
}
