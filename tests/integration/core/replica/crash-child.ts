/**
 * A replica at work in its own process, for the tests that SIGKILL it or copy its files mid-write
 * (crash-consistency.test.ts, power-cut.test.ts). Started with one JSON argument (CrashChildConfig).
 *
 * `work`: opens the replica (a first life takes a snapshot of 150 tickets), then makes seeded
 * random writes, each one transaction of the replica: a comment (an optimistic mutation and its
 * outbox row), a batch of mutations (mutateAll: all or none), a pull page rewriting every ticket
 * and adding comments, a push (markSent with FULL, then the answers), a confirming page (the
 * service's effects of the answered mutations, which drops them from the outbox). It plays the
 * service itself: nothing goes over the network.
 *
 * `migrate`: opens the replica, running its migrations.
 *
 * It prints one line per step on stdout, written synchronously (stdout is a pipe), so a line the
 * parent reads describes something that has happened:
 *
 *   ready                         opened (work: the snapshot is in)
 *   begin <op>                    a transaction starts
 *   ack <CrashAck json>           it committed
 *   done                          `ops` writes made (work), or the migrations ran (migrate)
 */
import { readFileSync } from 'node:fs';
import { Random } from '../../../../src-server/demo/random';
import type { Comment, Ticket } from '../../../../src-shared/domain/entities';
import type { Change, MutationResult } from '../../../../src-shared/protocol/sync';
import {
  LocalMutationError,
  openReplica,
  type Replica,
} from '../../../../src-main/core/replica/replica';
import { scanWal } from '../../../support/wal-file';
import {
  CRASH_TICKETS,
  crashTicketId,
  pageOfCursor,
  type CrashAck,
  type CrashChildConfig,
} from './crash-acks';
import { agentIdentity, comment, contact, Pages, tenantChanges, ticket } from './replica-fixtures';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function ack(value: CrashAck): void {
  say(`ack ${JSON.stringify(value)}`);
}

const now = () => new Date().toISOString();

/** Pages as the service would send them, numbered on from the replica's cursor. */
function pageOf(replica: Replica, changes: Change[], page: number, hasMore: boolean, last = 0) {
  const seq = Number(/\.s(\d+)$/.exec(replica.cursor)?.[1] ?? 0) + changes.length;
  return {
    changes: changes.map((change, i) => ({ ...change, seq: seq - changes.length + i + 1 })),
    cursor: `p${page}.s${seq}`,
    hasMore,
    remaining: 0,
    lastMutationId: last,
    epoch: 'crash-epoch',
  };
}

function snapshot(replica: Replica): void {
  const pages = new Pages();
  const changes: Change[] = [...tenantChanges(pages)];
  for (let n = 1; n <= CRASH_TICKETS; n++) {
    const id = crashTicketId(n);
    changes.push(pages.upsert('ticket', ticket({ id, number: n, subject: 'page 0', tags: [] })));
    changes.push(pages.upsert('comment', comment({ id: crashTicketId(10_000 + n), ticketId: id })));
  }
  changes.push(pages.upsert('contact', contact()));
  say('begin snapshot');
  replica.beginSnapshot();
  replica.applyPullPage(pageOf(replica, changes, 0, false));
  ack({ op: 'snapshot', page: 0 });
}

const baseRow = <T>(replica: Replica, entity: string, id: string): T =>
  JSON.parse(
    replica.db
      .prepare('SELECT data FROM base WHERE entity = ? AND id = ?')
      .pluck()
      .get(entity, id) as string,
  ) as T;

/** The last mutation id the service has answered, as the service would report it. */
function serverLastMutationId(replica: Replica): number {
  const row = replica.db
    .prepare(
      'SELECT max(CASE WHEN result IS NOT NULL THEN id END) AS answered, min(id) AS first FROM outbox',
    )
    .get() as { answered: number | null; first: number | null };
  return row.answered ?? (row.first ?? Number(replica.meta('nextMutationId'))) - 1;
}

function work(replica: Replica, config: CrashChildConfig): void {
  const rng = new Random(config.seed * 7919 + config.life);
  const ticketIds = Array.from({ length: CRASH_TICKETS }, (_, i) => crashTicketId(i + 1));
  const marker = (i: number) => `${config.life}-${i}`;
  for (let i = 0; config.ops === undefined || i < config.ops; i++) {
    const op = rng.weighted([
      ['comment', 4],
      ['batch', 2],
      ['page', 2],
      ['push', 2],
      ['confirm', 1],
    ] as const);
    say(`begin ${op}`);
    if (op === 'comment') {
      const commentId = rng.uuid(Date.now());
      const body = `crash ${marker(i)}`;
      const { mutationId } = replica.mutate(
        'addComment',
        { id: commentId, ticketId: rng.pick(ticketIds), body, public: false },
        now(),
      );
      ack({ op: 'comment', mutationId, commentId, body });
    } else if (op === 'batch') {
      // A macro-like batch: comments on one ticket, its priority and a tag, all or none.
      const k = rng.int(5, 30);
      const ticketId = rng.pick(ticketIds);
      const tag = `b${marker(i)}`;
      const commentIds = Array.from({ length: k }, () => rng.uuid(Date.now()));
      const priority = rng.pick(['low', 'normal', 'high', 'urgent'] as const);
      try {
        const { mutationIds } = replica.mutateAll(
          () => [
            ...commentIds.map((id, j) => ({
              name: 'addComment',
              args: { id, ticketId, body: `batch ${marker(i)} ${j + 1}/${k}`, public: false },
            })),
            { name: 'setTicketFields', args: { ticketId, fields: { priority } } },
            { name: 'addTags', args: { ticketId, tags: [tag] } },
          ],
          now(),
        );
        ack({ op: 'batch', marker: marker(i), mutationIds, commentIds, tag, ticketId });
      } catch (error) {
        // A ticket at its tag limit refuses the batch, whole.
        if (!(error instanceof LocalMutationError)) throw error;
        say(`skipped ${error.code}`);
      }
    } else if (op === 'page') {
      const page = pageOfCursor(replica.cursor) + 1;
      const changes: Change[] = [];
      const pages = new Pages();
      for (const id of ticketIds) {
        const row = baseRow<Ticket>(replica, 'ticket', id);
        changes.push(pages.upsert('ticket', { ...row, subject: `page ${page}`, updatedAt: now() }));
      }
      for (let n = 0; n < 50; n++) {
        const id = rng.uuid(Date.now());
        changes.push(
          pages.upsert(
            'comment',
            comment({ id, ticketId: rng.pick(ticketIds), body: `page ${page}`, authorId: null }),
          ),
        );
      }
      replica.applyPullPage(pageOf(replica, changes, page, true));
      ack({ op: 'page', page });
    } else if (op === 'push') {
      const batch = replica.pushBatch(rng.int(1, 40));
      if (batch.length === 0) continue;
      const ids = batch.map((m) => m.id);
      replica.markSent(ids, now());
      // What fsync covered: every frame up to the end of this commit.
      const wal = scanWal(readFileSync(`${replica.file}-wal`));
      ack({
        op: 'sent',
        mutationIds: ids,
        walSalt: wal?.salt ?? '',
        walEnd: wal?.commitEnds.at(-1) ?? 0,
      });
      say('begin answer');
      const results: MutationResult[] = ids.map((id) => ({ id, status: 'applied' }));
      replica.applyPushResults(results, now());
      ack({ op: 'answered', mutationIds: ids });
    } else {
      confirm(replica);
    }
  }
}

/** The service's page after the answered mutations: their effects, and its last mutation id. */
function confirm(replica: Replica): void {
  const last = serverLastMutationId(replica);
  const rows = replica.db
    .prepare(
      'SELECT id, name, args, created_at FROM outbox WHERE id <= ? AND result IS NOT NULL ORDER BY id',
    )
    .all(last) as Array<{ id: number; name: string; args: string; created_at: string }>;
  const tickets = new Map<string, Ticket>();
  const comments: Comment[] = [];
  const ticketOf = (id: string) => tickets.get(id) ?? baseRow<Ticket>(replica, 'ticket', id);
  for (const row of rows) {
    const args = JSON.parse(row.args) as Record<string, unknown> & { ticketId: string };
    if (row.name === 'addComment') {
      comments.push({
        id: args.id as string,
        ticketId: args.ticketId,
        authorId: agentIdentity.userId,
        body: args.body as string,
        public: args.public as boolean,
        createdAt: row.created_at,
      });
    } else if (row.name === 'addTags') {
      const current = ticketOf(args.ticketId);
      const tags = [...new Set([...current.tags, ...(args.tags as string[])])];
      tickets.set(args.ticketId, { ...current, tags, updatedAt: row.created_at });
    } else if (row.name === 'setTicketFields') {
      const current = ticketOf(args.ticketId);
      tickets.set(args.ticketId, {
        ...current,
        ...(args.fields as object),
        updatedAt: row.created_at,
      });
    }
  }
  const pages = new Pages();
  const changes = [
    ...[...tickets.values()].map((t) => pages.upsert('ticket', t)),
    ...comments.map((c) => pages.upsert('comment', c)),
  ];
  replica.applyPullPage(pageOf(replica, changes, pageOfCursor(replica.cursor), false, last));
  ack({ op: 'confirmed', lastMutationId: last });
}

function main(): void {
  const config = JSON.parse(process.argv[2] ?? '{}') as CrashChildConfig;
  if (config.mode === 'migrate') say('ready');
  const replica = openReplica(config.dir, agentIdentity);
  if (config.mode === 'work') {
    if (replica.cursor === '0') snapshot(replica);
    say('ready');
    work(replica, config);
  }
  replica.close();
  say('done');
}

main();
