import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Comment,
  Company,
  Contact,
  EntityName,
  Preferences,
  Profile,
  Ticket,
  User,
} from '../../../../src-shared/domain/entities';
import type { Change, PullResponse } from '../../../../src-shared/protocol/sync';
import {
  openReplica,
  type Replica,
  type ReplicaIdentity,
} from '../../../../src-main/core/replica/replica';

/**
 * Real replica files in temp folders, and pull pages built the way the service builds them, for
 * the replica's integration tests. No mocks: every test reads and writes a SQLite file.
 */

export const IDS = {
  tenant: '10000000-0000-4000-8000-000000000001',
  agent: '10000000-0000-4000-8000-0000000000a1',
  admin: '10000000-0000-4000-8000-0000000000a2',
  other: '10000000-0000-4000-8000-0000000000a3',
  ticket: '10000000-0000-4000-8000-0000000000b1',
  ticket2: '10000000-0000-4000-8000-0000000000b2',
  ticket3: '10000000-0000-4000-8000-0000000000b3',
  comment: '10000000-0000-4000-8000-0000000000c1',
  comment2: '10000000-0000-4000-8000-0000000000c2',
  contact: '10000000-0000-4000-8000-0000000000d1',
  contact2: '10000000-0000-4000-8000-0000000000d2',
  missing: '10000000-0000-4000-8000-0000000000ff',
} as const;

/** A fresh UUID-shaped id from a counter (deterministic per test file). */
let counter = 0;
export function newId(): string {
  counter++;
  return `20000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export const T0 = '2026-01-01T00:00:00.000Z';
export const T1 = '2026-01-02T00:00:00.000Z';
export const NOW = '2026-02-03T04:05:06.000Z';
export const LATER = '2026-02-03T05:00:00.000Z';

export const agentIdentity: ReplicaIdentity = {
  serverUrl: 'https://helpdesk.example:8443',
  tenantId: IDS.tenant,
  tenantSlug: 'acme',
  userId: IDS.agent,
  role: 'agent',
};
export const adminIdentity: ReplicaIdentity = {
  ...agentIdentity,
  userId: IDS.admin,
  role: 'admin',
};

export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: IDS.ticket,
    number: 7,
    subject: 'Printer on fire',
    description: 'It is on fire.',
    status: 'open',
    priority: 'normal',
    type: 'incident',
    requesterId: IDS.contact,
    assigneeId: IDS.agent,
    tags: ['hardware', 'printer'],
    createdBy: IDS.agent,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function comment(overrides: Partial<Comment> = {}): Comment {
  return {
    id: IDS.comment,
    ticketId: IDS.ticket,
    authorId: IDS.agent,
    body: 'Looking into the toner cartridge.',
    public: true,
    createdAt: T0,
    ...overrides,
  };
}

export function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: IDS.contact,
    name: 'Wile Coyote',
    email: 'wile@example.test',
    phone: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function user(id: string, role: User['role'] = 'agent', name = 'Agent Smith'): User {
  return { id, name, email: `${id.slice(-2)}@example.test`, role, active: true };
}

export function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: IDS.agent,
    name: 'Agent Smith',
    email: 'a1@example.test',
    role: 'agent',
    phone: '+1 555 0100',
    title: 'Support agent',
    department: 'Support',
    fax: null,
    updatedAt: T0,
    ...overrides,
  };
}

export function company(overrides: Partial<Company> = {}): Company {
  return {
    id: IDS.tenant,
    slug: 'acme',
    name: 'Acme Field Services',
    address: '1 Main St',
    phone: '+1 555 0000',
    website: 'https://acme.example',
    seats: 10,
    updatedAt: T0,
    ...overrides,
  };
}

export function preferences(overrides: Partial<Preferences> = {}): Preferences {
  return { id: IDS.agent, newsletter: false, productUpdates: true, updatedAt: T0, ...overrides };
}

/** Builds changes and pages with rising sequence numbers, as one tenant's change log would. */
export class Pages {
  private seq = 0;
  epoch = 'epoch-1';
  lastMutationId = 0;

  upsert(entity: string, data: { id: string } & Record<string, unknown>): Change {
    return { seq: ++this.seq, entity, id: data.id, op: 'upsert', data };
  }

  remove(entity: string, id: string): Change {
    return { seq: ++this.seq, entity, id, op: 'delete' };
  }

  page(
    changes: Change[],
    options: { hasMore?: boolean; lastMutationId?: number; remaining?: number } = {},
  ): PullResponse {
    if (options.lastMutationId !== undefined) this.lastMutationId = options.lastMutationId;
    return {
      changes,
      cursor: String(changes.at(-1)?.seq ?? this.seq),
      hasMore: options.hasMore ?? false,
      remaining: options.remaining ?? 0,
      lastMutationId: this.lastMutationId,
      epoch: this.epoch,
    };
  }
}

/** The rows of a small tenant as a first snapshot page would carry them (agent's view). */
export function tenantChanges(pages: Pages): Change[] {
  return [
    pages.upsert('company', company()),
    pages.upsert('user', user(IDS.agent, 'agent')),
    pages.upsert('user', user(IDS.admin, 'admin', 'Ada Admin')),
    pages.upsert('user', user(IDS.other, 'agent', 'Other Agent')),
    pages.upsert('profile', profile()),
    pages.upsert('preferences', preferences()),
    pages.upsert('contact', contact()),
    pages.upsert('contact', contact({ id: IDS.contact2, name: 'Road Runner', email: null })),
    pages.upsert('ticket', ticket()),
    pages.upsert(
      'ticket',
      ticket({
        id: IDS.ticket2,
        number: 8,
        subject: 'Cannot log in',
        status: 'new',
        tags: [],
        requesterId: IDS.contact2,
      }),
    ),
    pages.upsert('comment', comment()),
  ];
}

const dirs: string[] = [];

/** A new temp folder, removed by `removeTempDirs`. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'replica-test-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface TestReplica {
  replica: Replica;
  pages: Pages;
  dir: string;
  /** Closes the file and opens it again (a restart of the app). */
  reopen(): Replica;
}

/** A replica file in a new temp folder, seeded by a complete snapshot of the small tenant. */
export function seededReplica(identity: ReplicaIdentity = agentIdentity, seed = true): TestReplica {
  const dir = tempDir();
  const pages = new Pages();
  const t: TestReplica = {
    replica: openReplica(dir, identity),
    pages,
    dir,
    reopen() {
      t.replica.close();
      t.replica = openReplica(dir, identity);
      return t.replica;
    },
  };
  if (seed) {
    t.replica.beginSnapshot();
    t.replica.applyPullPage(pages.page(tenantChanges(pages)));
  }
  return t;
}

/** The projection row of a ticket (`tickets` table), without its rowid. */
export function projected(replica: Replica, id: string): Record<string, unknown> | undefined {
  return replica.db
    .prepare(
      `SELECT id, number, subject, status, priority, priority_rank AS priorityRank, type,
              requester_id AS requesterId, assignee_id AS assigneeId, created_at AS createdAt,
              updated_at AS updatedAt, pending
         FROM tickets WHERE id = ?`,
    )
    .get(id) as Record<string, unknown> | undefined;
}

export function projectedTags(replica: Replica, id: string): string[] {
  return (
    replica.db
      .prepare(
        `SELECT tt.tag FROM ticket_tags tt JOIN tickets t ON t.rowid = tt.ticket_rowid
          WHERE t.id = ? ORDER BY tt.tag`,
      )
      .all(id) as Array<{ tag: string }>
  ).map((r) => r.tag);
}

/** Ticket ids an FTS query matches, through the projection. */
export function search(replica: Replica, query: string): string[] {
  return (
    replica.db
      .prepare(
        `SELECT t.id FROM ticket_fts f JOIN tickets t ON t.rowid = f.rowid
          WHERE ticket_fts MATCH ? ORDER BY t.id`,
      )
      .all(query) as Array<{ id: string }>
  ).map((r) => r.id);
}

export function ftsRowCount(replica: Replica): number {
  return (replica.db.prepare('SELECT count(*) AS n FROM ticket_fts').get() as { n: number }).n;
}

export function baseIds(replica: Replica, entity: EntityName): string[] {
  return (
    replica.db.prepare('SELECT id FROM base WHERE entity = ? ORDER BY id').all(entity) as Array<{
      id: string;
    }>
  ).map((r) => r.id);
}

export interface OutboxRow {
  id: number;
  name: string;
  args: Record<string, unknown>;
  base: Record<string, unknown> | null;
  sent_at: string | null;
  result: Record<string, unknown> | null;
  undone: number;
}

export function outbox(replica: Replica): OutboxRow[] {
  const rows = replica.db
    .prepare('SELECT id, name, args, base, sent_at, result, undone FROM outbox ORDER BY id')
    .all() as Array<Record<string, string | number | null>>;
  return rows.map((r) => ({
    id: r.id as number,
    name: r.name as string,
    args: JSON.parse(r.args as string) as Record<string, unknown>,
    base: r.base === null ? null : (JSON.parse(r.base as string) as Record<string, unknown>),
    sent_at: r.sent_at as string | null,
    result: r.result === null ? null : (JSON.parse(r.result as string) as Record<string, unknown>),
    undone: r.undone as number,
  }));
}

/** Every ticket id the replica shows (base and overlay, minus local deletes). */
export function effectiveTicketIds(replica: Replica): string[] {
  return replica
    .all('ticket')
    .map((t) => t.id)
    .sort();
}

/**
 * Checks the projection against the rows: every ticket the reader shows has a `tickets` row with
 * the same values, its tags, and an FTS row; nothing else is projected.
 */
export function projectionMismatches(replica: Replica): string[] {
  const problems: string[] = [];
  const ids = effectiveTicketIds(replica);
  const projectedIds = (
    replica.db.prepare('SELECT id FROM tickets ORDER BY id').all() as Array<{ id: string }>
  ).map((r) => r.id);
  if (JSON.stringify(ids) !== JSON.stringify(projectedIds))
    problems.push(`ids: reader ${ids.join(',')} vs tickets ${projectedIds.join(',')}`);
  for (const id of ids) {
    const t = replica.reader().get('ticket', id)!;
    const row = projected(replica, id);
    const expected = {
      id: t.id,
      number: t.number,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      type: t.type,
      requesterId: t.requesterId,
      assigneeId: t.assigneeId,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
    for (const [k, v] of Object.entries(expected)) {
      if (row?.[k] !== v) problems.push(`${id}.${k}: ${String(row?.[k])} vs ${String(v)}`);
    }
    const tags = projectedTags(replica, id);
    if (JSON.stringify(tags) !== JSON.stringify([...t.tags].sort()))
      problems.push(`${id}.tags: ${tags.join(',')} vs ${t.tags.join(',')}`);
  }
  const fts = ftsRowCount(replica);
  if (fts !== ids.length) problems.push(`fts rows ${fts} vs ${ids.length} tickets`);
  return problems;
}

/** The whole projection keyed by ticket id (rowids left out): rows, tags and FTS text. */
export function projectionDump(replica: Replica): unknown[] {
  return replica.db
    .prepare(
      `SELECT t.id, t.number, t.subject, t.status, t.priority, t.priority_rank, t.type,
              t.requester_id, t.assignee_id, t.created_at, t.updated_at, t.pending,
              (SELECT group_concat(tag, ',') FROM (SELECT tag FROM ticket_tags
                 WHERE ticket_rowid = t.rowid ORDER BY tag)) AS tags,
              f.subject AS fts_subject, f.description AS fts_description,
              f.comments AS fts_comments, f.requester AS fts_requester
         FROM tickets t LEFT JOIN ticket_fts f ON f.rowid = t.rowid
        ORDER BY t.id`,
    )
    .all();
}

/** Empties the projection tables and builds them again from base and overlay. */
export function rebuildProjection(replica: Replica): void {
  replica.db.transaction(() => {
    replica.db.exec('DELETE FROM ticket_tags; DELETE FROM ticket_fts; DELETE FROM tickets;');
    const ids = replica.db
      .prepare(
        "SELECT id FROM base WHERE entity = 'ticket' UNION SELECT id FROM overlay WHERE entity = 'ticket'",
      )
      .all() as Array<{ id: string }>;
    replica.projection.refresh(ids.map((r) => r.id));
  })();
}
