import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  openReplica,
  type Replica,
  type ReplicaIdentity,
} from '../../../../src-main/core/replica/replica';
import {
  countTickets,
  explainTicketQuery,
  ftsMatchExpression,
  listTickets,
  searchTickets,
  type QueryStrategy,
} from '../../../../src-main/core/replica/ticket-queries';
import {
  TICKET_SORT_FIELDS,
  TicketPage,
  type TicketListQueryInput,
  type TicketSortField,
  type TicketSummary,
} from '../../../../src-shared/bridge/ticket-query';
import {
  Comment,
  Contact,
  Ticket,
  User,
  type EntityName,
} from '../../../../src-shared/domain/entities';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketPriority,
  type TicketStatus,
} from '../../../../src-shared/domain/enums';
import type { Change } from '../../../../src-shared/protocol/sync';

// ---- a deterministic tenant ------------------------------------------------------------------

const uuid = (prefix: number, n: number) =>
  `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const ME = uuid(0xa1, 1);
const AGENTS = [ME, uuid(0xa2, 2), uuid(0xa3, 3)];
const INACTIVE = uuid(0xa4, 4);
const TENANT = uuid(0x7e, 1);
const TICKET_COUNT = 320;
const T0 = Date.UTC(2025, 10, 1);
const NOW = '2026-03-01T12:00:00.000Z';
const TAGS = ['vip', 'billing', 'hardware', 'network', 'refund', 'ärger', 'x:y/z'];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20260301);
const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;
const iso = (ms: number) => new Date(ms).toISOString();

const CONTACT_NAMES: Array<[string, string | null]> = [
  ['Zoë Ångström', 'zoe.angstrom@example.com'],
  ['Bob Smith', 'bob@acme.test'],
  ['山田 太郎', 'yamada@example.jp'],
  ['Ann Lee', 'ann.lee@example.com'],
  ['Carlos Núñez', null],
  ['Dana Scully', 'dana@fbi.test'],
  ['Eve Adams', 'eve@example.org'],
  ['Frank Ocean', 'frank@ocean.test'],
  ['Grace Hopper', 'grace@navy.test'],
  ['Hank Pym', null],
];
const contacts: Contact[] = CONTACT_NAMES.map(([name, email], i) => ({
  id: uuid(0xc0, i + 1),
  name,
  email,
  phone: null,
  createdAt: iso(T0),
  updatedAt: iso(T0),
}));
/** A requester whose contact never arrives: its tickets have no requester name. */
const GHOST_CONTACT = uuid(0xc0, 0xfff);

const users: User[] = [
  ...AGENTS.map((id, i) => ({
    id,
    name: `Agent ${i + 1}`,
    email: `agent${i + 1}@helpdesk.test`,
    role: 'agent' as const,
    active: true,
  })),
  { id: INACTIVE, name: 'Gone', email: 'gone@helpdesk.test', role: 'agent', active: false },
];

const WORDS = ['login', 'error', 'slow', 'crash', 'invoice', 'password', 'screen', 'update'];
/** Planted texts, by ticket index, for the full-text tests. */
const PLANTED: Record<number, Partial<Ticket>> = {
  5: { subject: 'Printer jam on floor three' },
  6: { subject: 'Jam in the printer tray' },
  17: { description: 'A zebra walked past the server room.' },
  99: { subject: 'Café crème machine broken' },
  120: { subject: '日本語サポートについて' },
  121: { subject: 'C++ build fails: "NEAR" AND (x OR y) ^ *' },
};
const KANGAROO_TICKET = 42;

const tickets: Ticket[] = [];
const comments: Comment[] = [];
for (let i = 0; i < TICKET_COUNT; i++) {
  // Ids are scrambled against creation order so that sorting by id is not sorting by time.
  const id = uuid(Math.imul(i + 1, 2654435761) >>> 0, i + 1);
  const created = T0 + i * 37 * 60_000;
  // Every 8th ticket was updated at exactly the time of the one before: ties for the id to break.
  const updated =
    i % 8 === 7 && tickets[i - 1]
      ? Date.parse(tickets[i - 1]!.updatedAt)
      : created + Math.floor(rand() * 90) * 3_600_000;
  const tags = TAGS.filter(() => rand() < 0.25).sort();
  const ticket: Ticket = {
    id,
    number: i + 1,
    subject: `${pick(WORDS)} ${pick(WORDS)} ticket ${i}`,
    description: `Description ${pick(WORDS)} ${i}`,
    status: pick(TICKET_STATUSES),
    priority: pick(TICKET_PRIORITIES),
    type: rand() < 0.2 ? null : pick(TICKET_TYPES),
    requesterId: i % 53 === 11 ? GHOST_CONTACT : pick(contacts).id,
    assigneeId: pick([...AGENTS, null, null]),
    tags,
    createdBy: ME,
    createdAt: iso(created),
    updatedAt: iso(updated),
    ...PLANTED[i],
  };
  tickets.push(ticket);
  const n = i === KANGAROO_TICKET ? 1 : rand() < 0.4 ? 1 + Math.floor(rand() * 2) : 0;
  for (let c = 0; c < n; c++) {
    comments.push({
      id: uuid(0xcc000000 + i, c + 1),
      ticketId: id,
      authorId: c % 2 ? null : ME,
      body: i === KANGAROO_TICKET ? 'A kangaroo was spotted near the dock.' : `Reply ${c} ${i}`,
      public: true,
      createdAt: iso(created + (c + 1) * 60_000),
    });
  }
}

/** When each ticket's requester last wrote (their newest comment, else the ticket's creation). */
const customerReplyAt = new Map(
  tickets.map((t) => [
    t.id,
    comments
      .filter((c) => c.ticketId === t.id && c.authorId === null)
      .map((c) => c.createdAt)
      .sort()
      .at(-1) ?? t.createdAt,
  ]),
);

function pullPage(rows: Array<{ entity: EntityName; data: { id: string } }>, startSeq = 1) {
  const changes: Change[] = rows.map((row, i) => ({
    seq: startSeq + i,
    entity: row.entity,
    id: row.data.id,
    op: 'upsert',
    data: row.data as Record<string, unknown>,
  }));
  return { changes, cursor: 'x', hasMore: false, remaining: 0, lastMutationId: 0, epoch: 'e' };
}

// ---- the oracle: the same answers computed in plain TypeScript ---------------------------------

interface Model {
  ticket: Ticket;
  requesterName: string | null;
  requesterText: string;
  comments: string[];
  pending: boolean;
  needsAttention: boolean;
}

const models = new Map<string, Model>();
function rebuildModels() {
  models.clear();
  for (const ticket of tickets) {
    const contact = contacts.find((c) => c.id === ticket.requesterId);
    models.set(ticket.id, {
      ticket,
      requesterName: contact?.name ?? null,
      requesterText: contact ? `${contact.name} ${contact.email ?? ''}` : '',
      comments: comments.filter((c) => c.ticketId === ticket.id).map((c) => c.body),
      pending: false,
      needsAttention: false,
    });
  }
}

const statusRank = (s: TicketStatus) => TICKET_STATUSES.indexOf(s);
const priorityRank = (p: TicketPriority) => TICKET_PRIORITIES.indexOf(p);
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function sortKeys(t: Ticket, field: TicketSortField): Array<string | number> {
  switch (field) {
    case 'updatedAt':
      return [t.updatedAt];
    case 'createdAt':
      return [t.createdAt];
    case 'priority':
      return [priorityRank(t.priority), t.updatedAt];
    case 'status':
      return [statusRank(t.status), t.updatedAt];
    case 'number':
      return [t.number ?? Number.MAX_SAFE_INTEGER];
    case 'lastCustomerReplyAt':
      return [customerReplyAt.get(t.id)!];
  }
}

type Query = TicketListQueryInput;

function expected(q: Query): string[] {
  const field = q.sort?.field ?? 'updatedAt';
  const dir = (q.sort?.direction ?? 'desc') === 'asc' ? 1 : -1;
  return [...models.values()]
    .filter(({ ticket: t, pending, needsAttention }) => {
      if (q.status && !q.status.includes(t.status)) return false;
      if (q.priority && !q.priority.includes(t.priority)) return false;
      if (q.mine && t.assigneeId !== ME) return false;
      if (q.assigneeId !== undefined && t.assigneeId !== q.assigneeId) return false;
      if (q.unassigned && t.assigneeId !== null) return false;
      if (q.tag && !q.tag.every((tag) => t.tags.includes(tag))) return false;
      if (q.requesterId && t.requesterId !== q.requesterId) return false;
      if (q.updatedSince && t.updatedAt < q.updatedSince) return false;
      if (q.needsAttention && !needsAttention) return false;
      if (q.pending && !pending) return false;
      return true;
    })
    .sort((a, b) => {
      const ka = sortKeys(a.ticket, field);
      const kb = sortKeys(b.ticket, field);
      for (let i = 0; i < ka.length; i++) {
        const c = cmp(ka[i]!, kb[i]!);
        if (c !== 0) return c * dir;
      }
      return cmp(a.ticket.id, b.ticket.id) * dir;
    })
    .map((m) => m.ticket.id);
}

// ---- the replica -------------------------------------------------------------------------------

let dir: string;
let replica: Replica;
const identity: ReplicaIdentity = {
  serverUrl: 'https://help.example.test',
  tenantId: TENANT,
  tenantSlug: 'acme',
  userId: ME,
  role: 'agent',
};

const list = (q: Query, strategy?: QueryStrategy) =>
  listTickets(replica.db, q, ME, strategy ? { strategy } : {});
const ids = (page: TicketPage) => page.tickets.map((t) => t.id);

/** Every page of a query, following `next`, checking each page on the way. */
function listAll(q: Query, strategy?: QueryStrategy): { ids: string[]; pages: TicketPage[] } {
  const pages: TicketPage[] = [];
  let after: string | undefined;
  for (;;) {
    const page = list({ ...q, ...(after ? { after } : {}) }, strategy);
    TicketPage.parse(page);
    pages.push(page);
    if (page.next === null) break;
    expect(page.tickets).toHaveLength(q.limit ?? 100);
    after = page.next;
    if (pages.length > TICKET_COUNT + 5) throw new Error('paging does not end');
  }
  return { ids: pages.flatMap(ids), pages };
}

const STRATEGIES: QueryStrategy[] = ['auto', 'selective', 'ordered'];

function expectMatchesModel(q: Query) {
  const want = expected(q);
  for (const strategy of STRATEGIES) {
    const { ids: got, pages } = listAll(q, strategy);
    expect(got, `${strategy} ${JSON.stringify(q)}`).toEqual(want);
    for (const page of pages) expect(page.total).toBe(want.length);
  }
  return want;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ticket-queries-'));
  replica = openReplica(dir, identity);
  const outcome = replica.applyPullPage(
    pullPage([
      ...users.map((data) => ({ entity: 'user' as const, data })),
      ...contacts.map((data) => ({ entity: 'contact' as const, data })),
      ...tickets.map((data) => ({ entity: 'ticket' as const, data })),
      ...comments.map((data) => ({ entity: 'comment' as const, data })),
    ]),
  );
  // Every row satisfied the entity schemas (a row that does not is skipped silently).
  expect(outcome.skipped).toBe(0);
  expect(outcome.applied).toBe(users.length + contacts.length + tickets.length + comments.length);

  // Two rejected changes become needs-attention items; one of them is then settled.
  for (const [index, fields] of [
    [30, { priority: 'urgent' }],
    [31, { status: 'closed' }],
  ] as const) {
    const { mutationId } = replica.mutate(
      'setTicketFields',
      { ticketId: tickets[index]!.id, fields },
      NOW,
    );
    replica.markSent([mutationId], NOW);
    replica.applyPushResults(
      [{ id: mutationId, status: 'rejected', error: { code: 'forbidden', message: 'no' } }],
      NOW,
    );
  }
  const settled = replica.needsAttention().find((i) => i.entityId === tickets[31]!.id)!;
  replica.resolveAttention(settled.id, 'theirs', NOW);

  // A pending local change: status and updatedAt move, the ticket shows as pending.
  replica.mutate(
    'setTicketFields',
    { ticketId: tickets[40]!.id, fields: { status: 'on_hold' } },
    NOW,
  );
  tickets[40] = { ...tickets[40]!, status: 'on_hold', updatedAt: NOW };

  rebuildModels();
  models.get(tickets[30]!.id)!.needsAttention = true;
  models.get(tickets[40]!.id)!.pending = true;
}, 30_000);

afterAll(() => {
  replica?.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---- tests -------------------------------------------------------------------------------------

describe('listTickets filters', () => {
  it('lists every ticket by default, newest update first, 100 a page', () => {
    const page = list({});
    expect(page.total).toBe(TICKET_COUNT);
    expect(page.tickets).toHaveLength(100);
    expect(page.next).not.toBeNull();
    expect(ids(page)).toEqual(expected({}).slice(0, 100));
    expect(page.tickets[0]!.id).toBe(tickets[40]!.id); // updated just now, locally
  });

  it('returns the summary fields of the effective ticket', () => {
    const t = tickets[5]!;
    const row = listAll({ limit: 500 }).ids.indexOf(t.id);
    const summary = list({ limit: 500 }).tickets[row]!;
    const contact = contacts.find((c) => c.id === t.requesterId)!;
    expect(summary).toEqual<TicketSummary>({
      id: t.id,
      number: t.number,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      type: t.type,
      requesterId: t.requesterId,
      requesterName: contact.name,
      assigneeId: t.assigneeId,
      tags: t.tags,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      lastCustomerReplyAt: customerReplyAt.get(t.id)!,
      pending: false,
      needsAttention: false,
    });
  });

  it('gives no requester name while the contact is missing', () => {
    const page = list({ requesterId: GHOST_CONTACT, limit: 500 });
    expect(page.total).toBeGreaterThan(0);
    expect(page.tickets.every((t) => t.requesterName === null)).toBe(true);
    expect(ids(page)).toEqual(expected({ requesterId: GHOST_CONTACT }));
  });

  const CASES: Array<[string, Query]> = [
    ['one status', { status: ['open'] }],
    ['several statuses', { status: ['new', 'open', 'pending', 'on_hold'] }],
    ['one priority', { priority: ['urgent'] }],
    ['several priorities', { priority: ['low', 'high'] }],
    ['an assignee', { assigneeId: AGENTS[1]! }],
    ['assigned to nobody (assigneeId null)', { assigneeId: null }],
    ['unassigned', { unassigned: true }],
    ['mine', { mine: true }],
    ['a tag', { tag: ['vip'] }],
    ['a tag with unicode', { tag: ['ärger'] }],
    ['every one of two tags', { tag: ['vip', 'billing'] }],
    ['a requester', { requesterId: contacts[1]!.id }],
    ['updated since', { updatedSince: '2025-11-06T00:00:00.000Z' }],
    ['needs attention', { needsAttention: true }],
    ['pending', { pending: true }],
    ['mine and unsolved', { mine: true, status: ['new', 'open', 'pending'] }],
    ['status, priority, tag', { status: ['open', 'solved'], priority: ['high'], tag: ['billing'] }],
  ];
  it.each(CASES)('filters by %s (every plan, every page)', (_name, q) => {
    const want = expectMatchesModel({ ...q, limit: 25 });
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(TICKET_COUNT);
  });

  it('false flags restrict nothing; contradictory filters give an empty page', () => {
    expect(
      list({ mine: false, unassigned: false, needsAttention: false, pending: false }).total,
    ).toBe(TICKET_COUNT);
    const none = list({ mine: true, unassigned: true });
    expect(none).toEqual({ tickets: [], total: 0, next: null });
  });

  it('marks the needs-attention ticket, and not the one whose item was settled', () => {
    const page = list({ needsAttention: true });
    expect(ids(page)).toEqual([tickets[30]!.id]);
    expect(page.tickets[0]!.needsAttention).toBe(true);
    // The rejected change is not applied locally: the ticket keeps the service's priority.
    expect(page.tickets[0]!.priority).toBe(tickets[30]!.priority);
    expect(page.tickets[0]!.pending).toBe(false);
  });
});

describe('listTickets sort and paging', () => {
  const FIELDS: TicketSortField[] = [...TICKET_SORT_FIELDS];
  const cases = FIELDS.flatMap((field) =>
    (['asc', 'desc'] as const).map((direction) => [field, direction] as const),
  );

  it.each(cases)('sorts by %s %s, ties broken by id, pages without holes', (field, direction) => {
    const want = expectMatchesModel({ sort: { field, direction }, limit: 37 });
    expect(want).toHaveLength(TICKET_COUNT);
    expect(new Set(want).size).toBe(TICKET_COUNT);
  });

  it('has ties on updatedAt, broken by id in the sort direction', () => {
    const tied = tickets[15]!;
    const before = tickets[14]!;
    expect(tied.updatedAt).toBe(before.updatedAt);
    for (const direction of ['asc', 'desc'] as const) {
      const order = listAll({ sort: { field: 'updatedAt', direction }, limit: 500 }).ids;
      const [first, second] = [tied.id, before.id].sort();
      const i = order.indexOf(first!);
      const j = order.indexOf(second!);
      expect(Math.abs(i - j)).toBe(1);
      expect(i < j).toBe(direction === 'asc');
    }
  });

  it('ascending is exactly descending reversed', () => {
    for (const field of FIELDS) {
      const up = listAll({ sort: { field, direction: 'asc' }, limit: 500 }).ids;
      const down = listAll({ sort: { field, direction: 'desc' }, limit: 500 }).ids;
      expect(up).toEqual([...down].reverse());
    }
  });

  it('defaults to updatedAt desc and 100 rows; limit 1 and 500 work', () => {
    expect(ids(list({}))).toEqual(ids(list({ sort: { field: 'updatedAt', direction: 'desc' } })));
    const one = listAll({ status: ['new'], limit: 1 });
    expect(one.ids).toEqual(expected({ status: ['new'] }));
    expect(one.pages.every((p) => p.tickets.length === 1)).toBe(true);
    const all = list({ limit: 500 });
    expect(all.tickets).toHaveLength(TICKET_COUNT);
    expect(all.next).toBeNull();
  });

  it('rejects a limit out of range, an unknown member and a foreign cursor', () => {
    expect(() => list({ limit: 0 })).toThrow(ZodError);
    expect(() => list({ limit: 501 })).toThrow(ZodError);
    expect(() => list({ colour: 'red' } as Query)).toThrow(ZodError);
    expect(() => list({ after: 'not-a-cursor' })).toThrow(/page cursor/);
    const next = list({ limit: 5 }).next!;
    expect(() => list({ sort: { field: 'number', direction: 'desc' }, after: next })).toThrow(
      /another sort order/,
    );
    expect(() => list({ sort: { field: 'updatedAt', direction: 'asc' }, after: next })).toThrow(
      /another sort order/,
    );
  });

  it('matches the model for any combination of filters, sort and page size', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            status: fc.subarray([...TICKET_STATUSES], { minLength: 1 }),
            priority: fc.subarray([...TICKET_PRIORITIES], { minLength: 1 }),
            assigneeId: fc.constantFrom<string | null>(...AGENTS, null),
            mine: fc.boolean(),
            unassigned: fc.boolean(),
            tag: fc.subarray(TAGS, { minLength: 1, maxLength: 2 }),
            requesterId: fc.constantFrom(...contacts.map((c) => c.id), GHOST_CONTACT),
            updatedSince: fc
              .integer({ min: 0, max: TICKET_COUNT })
              .map((i) => iso(T0 + i * 40 * 60_000)),
            needsAttention: fc.boolean(),
            pending: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom<TicketSortField>(...TICKET_SORT_FIELDS),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 3, max: 120 }),
        (filters, field, direction, limit) => {
          expectMatchesModel({ ...filters, sort: { field, direction }, limit });
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('full-text search', () => {
  const textIds = (text: string, requesterText?: string) => {
    const q: Query = { text, limit: 500, ...(requesterText ? { requesterText } : {}) };
    const { ids: got, pages } = listAll(q, 'selective');
    expect(listAll(q, 'ordered').ids).toEqual(got);
    for (const page of pages) expect(page.total).toBe(got.length);
    return new Set(got);
  };
  const byIndex = (...indexes: number[]) => new Set(indexes.map((i) => tickets[i]!.id));

  it('finds words in the subject, as prefixes, in any order', () => {
    expect(textIds('printer')).toEqual(byIndex(5, 6));
    expect(textIds('print')).toEqual(byIndex(5, 6));
    expect(textIds('jam printer')).toEqual(byIndex(5, 6));
    expect(textIds('printer floor')).toEqual(byIndex(5));
  });

  it('matches a quoted phrase as written', () => {
    expect(textIds('"printer jam"')).toEqual(byIndex(5));
    expect(textIds('"jam printer"')).toEqual(new Set());
    expect(textIds('"jam in the"')).toEqual(byIndex(6));
  });

  it('finds the description, comments, requester name and email', () => {
    expect(textIds('zebra')).toEqual(byIndex(17));
    expect(textIds('kangaroo')).toEqual(byIndex(KANGAROO_TICKET));
    const zoe = contacts[0]!.id;
    const ofZoe = new Set(tickets.filter((t) => t.requesterId === zoe).map((t) => t.id));
    expect(ofZoe.size).toBeGreaterThan(0);
    expect(textIds('Zoë')).toEqual(ofZoe);
    expect(textIds('zoe angstrom')).toEqual(ofZoe); // diacritics folded
    expect(textIds('zoe.angstrom@example.com')).toEqual(ofZoe);
    expect(textIds('', 'angström')).toEqual(ofZoe);
    // requesterText looks at the requester only: "ticket" is in every subject, no requester name.
    expect(textIds('', 'ticket')).toEqual(new Set());
  });

  it('folds diacritics and case, and reads non-Latin scripts', () => {
    expect(textIds('cafe CREME')).toEqual(byIndex(99));
    expect(textIds('日本語サポート')).toEqual(byIndex(120));
    const yamada = new Set(
      tickets.filter((t) => t.requesterId === contacts[2]!.id).map((t) => t.id),
    );
    expect(textIds('山田')).toEqual(yamada);
  });

  it('treats FTS syntax in user text as plain words, never as an error', () => {
    const hostile = [
      'AND',
      'OR NOT',
      'NEAR(printer jam, 2)',
      'printer*',
      '^printer',
      '"',
      '"""',
      '"printer',
      'printer"',
      'subject:printer',
      'requester : zoe',
      '{subject description}: x',
      '(((',
      ')',
      '-printer',
      '+',
      '*',
      'a\u0000b',
      '\u200b\u202e',
      '🔥🔥',
      'x'.repeat(1000),
      Array.from({ length: 32 }, (_, i) => `w${i}`).join(' '),
    ];
    for (const text of hostile) {
      for (const strategy of ['selective', 'ordered'] as const) {
        expect(() => list({ text }, strategy), text).not.toThrow();
      }
    }
    // The words survive as words: "printer*" is the word printer, "NEAR" a word nobody wrote.
    expect(textIds('printer*')).toEqual(byIndex(5, 6));
    expect(textIds('^printer')).toEqual(byIndex(5, 6));
    expect(textIds('"printer')).toEqual(byIndex(5, 6));
    expect(textIds('NEAR(printer jam, 2)')).toEqual(new Set());
    expect(textIds('C++ "NEAR" AND')).toEqual(byIndex(121));
    // Only symbols: no usable term, so no full-text filter at all.
    expect(list({ text: '*** ^ 🔥' }).total).toBe(TICKET_COUNT);
  });

  it('writes every user term as a quoted phrase', () => {
    expect(ftsMatchExpression('printer "paper jam" a"bcd')).toBe(
      '"printer"* AND "paper jam" AND "a""bcd"*',
    );
    expect(ftsMatchExpression('xyz', 'ann lee')).toBe('"xyz"* AND requester : ("ann"* AND "lee"*)');
    expect(ftsMatchExpression('', '')).toBeNull();
  });

  it('matches a last token of one or two letters as a word, not as a prefix', () => {
    // A short prefix expands to a large part of the vocabulary: `fi*` of `wi-fi` is slow.
    expect(ftsMatchExpression('wi-fi meeting ro')).toBe('"wi-fi" AND "meeting"* AND "ro"');
    expect(ftsMatchExpression('a"b 42 pri')).toBe('"a""b" AND "42" AND "pri"*');
    // Scripts written without spaces keep prefixes: a short token there is a word stem.
    expect(ftsMatchExpression('山田')).toBe('"山田"*');
    expect(textIds('pr')).toEqual(new Set());
    expect(textIds('pri')).toEqual(byIndex(5, 6));
  });

  it('combines text with filters, sorts and pages', () => {
    const q: Query = { text: 'reply', status: ['open', 'solved'], limit: 4 };
    const reply = new Set(
      comments.filter((c) => c.body.startsWith('Reply')).map((c) => c.ticketId),
    );
    const want = expected({ status: ['open', 'solved'] }).filter((id) => reply.has(id));
    expect(want.length).toBeGreaterThan(8);
    for (const strategy of STRATEGIES) expect(listAll(q, strategy).ids).toEqual(want);
  });

  it('counts text with tags, alone or with other filters, as the pages find them', () => {
    const reply = new Set(
      comments.filter((c) => c.body.startsWith('Reply')).map((c) => c.ticketId),
    );
    const filters: Query[] = [
      { tag: ['vip'] },
      { tag: ['vip', 'billing'] },
      { tag: ['billing'], status: ['open', 'pending', 'solved'] },
    ];
    for (const f of filters) {
      const want = expected(f).filter((id) => reply.has(id));
      const q: Query = { ...f, text: 'reply', limit: 3 };
      expect(want.length, JSON.stringify(f)).toBeGreaterThan(0);
      expect(want.length, JSON.stringify(f)).toBeLessThan(expected(f).length);
      for (const strategy of STRATEGIES) {
        const { ids: got, pages } = listAll(q, strategy);
        expect(got, `${strategy} ${JSON.stringify(f)}`).toEqual(want);
        for (const page of pages) expect(page.total).toBe(want.length);
      }
      expect(countTickets(replica.db, q, ME)).toBe(want.length);
    }
  });
});

describe('searchTickets', () => {
  const search = (text: string, paging = {}) => {
    const result = searchTickets(replica.db, text, ME, paging);
    if (!result.ok) throw new Error(result.message);
    return result;
  };

  it('runs the search syntax end to end', () => {
    const result = search('status:open,pending tag:billing assignee:me');
    expect(result.query).toMatchObject({
      status: ['open', 'pending'],
      tag: ['billing'],
      assigneeId: ME,
    });
    const want = expected({ status: ['open', 'pending'], tag: ['billing'], assigneeId: ME });
    expect(want.length).toBeGreaterThan(0);
    expect(ids(result.page)).toEqual(want);
    expect(result.page.total).toBe(want.length);
  });

  it('mixes keys and words', () => {
    const jam = search('printer jam');
    expect(new Set(ids(jam.page))).toEqual(new Set([tickets[5]!.id, tickets[6]!.id]));
    const status = tickets[5]!.status;
    const one = search(`status:${status} "printer jam"`);
    expect(ids(one.page)).toEqual([tickets[5]!.id]);
    const other = TICKET_STATUSES.find((s) => s !== status)!;
    expect(search(`status:${other} "printer jam"`).page.total).toBe(0);
  });

  it('reads is:, requester:, priority: and updated:', () => {
    expect(ids(search('is:attention').page)).toEqual([tickets[30]!.id]);
    expect(ids(search('is:pending').page)).toEqual([tickets[40]!.id]);
    expect(ids(search('is:unassigned', { limit: 500 }).page)).toEqual(
      expected({ unassigned: true }),
    );
    expect(ids(search('is:mine priority:urgent,high', { limit: 500 }).page)).toEqual(
      expected({ mine: true, priority: ['urgent', 'high'] }),
    );
    const zoe = contacts[0]!;
    expect(ids(search(`requester:${zoe.id}`, { limit: 500 }).page)).toEqual(
      expected({ requesterId: zoe.id }),
    );
    expect(ids(search('requester:"Zoë Ångström"', { limit: 500 }).page)).toEqual(
      expected({ requesterId: zoe.id }),
    );
    expect(ids(search('requester:bob@acme.test', { limit: 500 }).page)).toEqual(
      expected({ requesterId: contacts[1]!.id }),
    );
    expect(ids(search('updated:>=2025-11-10', { limit: 500 }).page)).toEqual(
      expected({ updatedSince: '2025-11-10T00:00:00.000Z' }),
    );
    expect(ids(search('updated:>2025-11-10', { limit: 500 }).page)).toEqual(
      expected({ updatedSince: '2025-11-11T00:00:00.000Z' }),
    );
  });

  it('pages a search with the sort asked for', () => {
    const sort = { field: 'priority', direction: 'asc' } as const;
    const first = search('status:open', { sort, limit: 7 });
    const second = search('status:open', { sort, limit: 7, after: first.page.next! });
    expect([...ids(first.page), ...ids(second.page)]).toEqual(
      expected({ status: ['open'], sort }).slice(0, 14),
    );
  });

  it('answers bad input with a message, never a throw', () => {
    for (const [text, message] of [
      ['status:bogus', /status/],
      ['priority:', /priority: needs a value/],
      ['updated:<7d', /updated:>YYYY-MM-DD/],
      ['assignee:bob', /assignee/],
      ['tag:"two words"', /tag/],
      ['x'.repeat(5000), /too long/],
    ] as const) {
      const result = searchTickets(replica.db, text, ME);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.message).toMatch(message);
    }
    const foreign = list({ limit: 3 }).next!;
    const result = searchTickets(replica.db, 'printer', ME, {
      sort: { field: 'createdAt', direction: 'asc' },
      after: foreign,
    });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/another sort order/) });
  });
});

describe('local changes', () => {
  it('shows a local mutation at once, as pending, and drops it on undo', () => {
    const target = tickets.find(
      (t, i) => t.status === 'open' && !models.get(t.id)!.pending && i !== 30,
    )!;
    const solvedBefore = list({ status: ['solved'], limit: 500 });
    expect(ids(solvedBefore)).not.toContain(target.id);
    expect(ids(list({ status: ['open'], limit: 500 }))).toContain(target.id);

    const later = '2026-03-02T08:00:00.000Z';
    replica.mutate('setTicketFields', { ticketId: target.id, fields: { status: 'solved' } }, later);

    const solved = list({ status: ['solved'], limit: 500 });
    expect(solved.total).toBe(solvedBefore.total + 1);
    expect(solved.tickets[0]).toMatchObject({
      id: target.id,
      status: 'solved',
      pending: true,
      updatedAt: later,
    });
    expect(ids(list({ status: ['open'], limit: 500 }))).not.toContain(target.id);
    expect(ids(list({ pending: true }))).toEqual([target.id, tickets[40]!.id]);
    const search = searchTickets(replica.db, 'status:solved is:pending', ME);
    expect(search.ok && ids(search.page)).toEqual([target.id]);

    replica.undoLast(later);
    expect(ids(list({ status: ['open'], limit: 500 }))).toContain(target.id);
    expect(ids(list({ pending: true }))).toEqual([tickets[40]!.id]);
    expect(list({ status: ['solved'], limit: 500 }).total).toBe(solvedBefore.total);
  });

  it('lists tickets created here: no number yet, newest by number, requester from the overlay', () => {
    const contactId = uuid(0xc1, 1);
    // Two local tickets, so that paging by number has a page boundary between unnumbered ones.
    const local = [uuid(0xb2, 1), uuid(0xb1, 2)];
    replica.mutate(
      'createContact',
      { id: contactId, name: 'Quentin Quux', email: 'q@quux.test' },
      NOW,
    );
    for (const id of local) {
      replica.mutate(
        'createTicket',
        {
          id,
          subject: 'Brand new local ticket',
          description: 'offline',
          requesterId: contactId,
          tags: ['vip'],
        },
        NOW,
      );
    }
    const [low, high] = [...local].sort();
    try {
      const byNumber = list({ sort: { field: 'number', direction: 'desc' }, limit: 3 });
      expect(ids(byNumber)).toEqual([high, low, tickets[TICKET_COUNT - 1]!.id]);
      expect(byNumber.tickets[0]).toMatchObject({
        number: null,
        pending: true,
        requesterName: 'Quentin Quux',
        tags: ['vip'],
        status: 'new',
      });
      const numbered = [...tickets].sort((a, b) => a.number! - b.number!).map((t) => t.id);
      const want = [...numbered, low, high];
      for (const strategy of ['selective', 'ordered'] as const) {
        for (const limit of [1, 7, TICKET_COUNT + 1]) {
          const up = listAll({ sort: { field: 'number', direction: 'asc' }, limit }, strategy);
          expect(up.ids).toEqual(want);
          const down = listAll({ sort: { field: 'number', direction: 'desc' }, limit }, strategy);
          expect(down.ids).toEqual([...want].reverse());
        }
      }
      expect(new Set(ids(list({ text: 'quux' })))).toEqual(new Set(local));
      expect(new Set(ids(list({ requesterText: 'quentin' })))).toEqual(new Set(local));
    } finally {
      for (let i = 0; i < 3; i++) replica.undoLast(NOW);
    }
    expect(list({}).total).toBe(TICKET_COUNT);
    expect(list({ text: 'quux' }).total).toBe(0);
  });

  it('drops a ticket the service deleted from lists, tags, full text and counts', () => {
    const gone = tickets.find((t) => t.tags.includes('vip') && t.tags.includes('billing'))!;
    const before = {
      vip: list({ tag: ['vip'] }).total,
      both: list({ tag: ['vip', 'billing'] }).total,
      text: list({ text: gone.subject }).total,
    };
    expect(before.text).toBeGreaterThan(0);
    replica.applyPullPage({
      ...pullPage([], 20_000),
      changes: [{ seq: 20_000, entity: 'ticket', id: gone.id, op: 'delete' }],
    });
    try {
      expect(list({}).total).toBe(TICKET_COUNT - 1);
      expect(list({ tag: ['vip'] }).total).toBe(before.vip - 1);
      expect(list({ tag: ['vip', 'billing'] }).total).toBe(before.both - 1);
      expect(list({ text: gone.subject }).total).toBe(before.text - 1);
      expect(ids(list({ tag: ['vip'], limit: 500 }))).not.toContain(gone.id);
    } finally {
      replica.applyPullPage(pullPage([{ entity: 'ticket', data: gone }], 20_001));
    }
    expect(list({ tag: ['vip'] }).total).toBe(before.vip);
    expect(list({ text: gone.subject }).total).toBe(before.text);
  });

  it('follows a requester renamed by the service, in the name and in full text', () => {
    const contact = contacts[5]!; // Dana Scully, dana@fbi.test
    const renamed = { ...contact, name: 'Dana Mulder', updatedAt: NOW };
    replica.applyPullPage(pullPage([{ entity: 'contact', data: renamed }], 10_000));
    try {
      const mine = list({ requesterId: contact.id, limit: 500 });
      expect(mine.total).toBeGreaterThan(0);
      expect(mine.tickets.every((t) => t.requesterName === 'Dana Mulder')).toBe(true);
      expect(ids(list({ text: 'mulder', limit: 500 }))).toEqual(ids(mine));
      expect(list({ text: 'scully' }).total).toBe(0);
    } finally {
      replica.applyPullPage(pullPage([{ entity: 'contact', data: contact }], 10_001));
    }
    expect(list({ text: 'scully', limit: 500 }).total).toBeGreaterThan(0);
    expect(list({ text: 'mulder' }).total).toBe(0);
  });
});

describe('query plans', () => {
  const plan = (q: Query, strategy: QueryStrategy) =>
    explainTicketQuery(replica.db, q, ME, { strategy });
  const fullScan = (lines: string[]) =>
    lines.some((l) => /^SCAN t$/.test(l) || /^SCAN tickets$/.test(l));
  const sorted = { sort: { field: 'updatedAt', direction: 'desc' } } as const;

  it('status + updatedAt sort walks tickets_by_status in order, in both plans', () => {
    for (const strategy of ['selective', 'ordered'] as const) {
      const { page, count } = plan({ status: ['open'], ...sorted }, strategy);
      expect(page.join('\n')).toMatch(/SEARCH t USING INDEX tickets_by_status \(status=\?\)/);
      expect(page.join('\n')).not.toMatch(/TEMP B-TREE FOR ORDER BY/); // only for the id tie-break
      expect(fullScan(page)).toBe(false);
      expect(count.join('\n')).toMatch(/COVERING INDEX tickets_by_status/);
    }
    const next = list({ status: ['open'], limit: 5 }).next!;
    const deep = plan({ status: ['open'], limit: 5, after: next }, 'ordered').page.join('\n');
    expect(deep).toMatch(/tickets_by_status \(status=\? AND updated_at<\?\)/);
  });

  it('several statuses: an index either way, no full scan', () => {
    const q: Query = { status: ['new', 'open', 'pending'], ...sorted };
    expect(plan(q, 'selective').page.join('\n')).toMatch(/USING INDEX tickets_by_status/);
    expect(plan(q, 'ordered').page.join('\n')).toMatch(/SCAN t USING INDEX tickets_by_updated/);
    expect(fullScan(plan(q, 'selective').page)).toBe(false);
    expect(fullScan(plan(q, 'ordered').page)).toBe(false);
  });

  it('assignee + sort and mine use tickets_by_assignee', () => {
    for (const q of [{ assigneeId: AGENTS[1]! }, { mine: true }, { unassigned: true }] as Query[]) {
      for (const strategy of ['selective', 'ordered'] as const) {
        const { page } = plan({ ...q, ...sorted }, strategy);
        expect(page.join('\n')).toMatch(
          /SEARCH t USING INDEX tickets_by_assignee \(assignee_id=\?\)/,
        );
        expect(page.join('\n')).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      }
    }
  });

  it('tags, needs-attention and full text drive from their own indexes when selective', () => {
    const tag = plan({ tag: ['vip'] }, 'selective').page.join('\n');
    expect(tag).toMatch(/SEARCH g USING PRIMARY KEY \(tag=\?\)/);
    expect(tag).toMatch(/SEARCH t USING INTEGER PRIMARY KEY/);
    const tagOrdered = plan({ tag: ['vip'] }, 'ordered').page.join('\n');
    expect(tagOrdered).toMatch(/SCAN t USING INDEX tickets_by_updated/);
    expect(tagOrdered).toMatch(/ticket_tags/);
    const attention = plan({ needsAttention: true }, 'selective').page.join('\n');
    expect(attention).toMatch(/needs_attention_open/);
    expect(attention).toMatch(/SEARCH t USING INDEX sqlite_autoindex_tickets_1 \(id=\?\)/);
    const text = plan({ text: 'printer' }, 'auto');
    // Each match found once (in a temp table by rowid), then its ticket by rowid.
    expect(text.page).toEqual([
      'SEARCH t USING INTEGER PRIMARY KEY (rowid=?)',
      'USING ROWID SEARCH ON TABLE search_matches FOR IN-OPERATOR',
      'USE TEMP B-TREE FOR ORDER BY',
    ]);
    for (const p of [tag, tagOrdered, attention, text.page.join('\n')])
      expect(fullScan(p.split('\n'))).toBe(false);
  });

  it('ordered plans walk the sort index: full text as a set, status sort one status at a time', () => {
    const text = plan({ text: 'printer' }, 'ordered');
    expect(text.page[0]).toBe('SCAN t USING INDEX tickets_by_updated');
    expect(text.page.join('\n')).toMatch(/USING ROWID SEARCH ON TABLE search_matches/);
    expect(text.count).toEqual(['SCAN search_matches']); // counted in the matches alone
    const status = plan({ sort: { field: 'status', direction: 'desc' } }, 'ordered').page;
    expect(status.filter((l) => l.includes('tickets_by_status (status=?)'))).toHaveLength(6);
    expect(status.join('\n')).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    const pending = plan({ pending: true }, 'selective');
    expect(pending.page.join('\n')).toMatch(/sqlite_autoindex_tickets_1 \(id=\?\)/);
    expect(fullScan(pending.count)).toBe(false);
  });

  it('auto picks the ordered walk for broad queries and the selective one for narrow ones', () => {
    expect(
      plan({ status: ['new', 'open', 'pending', 'on_hold', 'solved'], limit: 20 }, 'auto').plan,
    ).toBe('ordered');
    expect(plan({ needsAttention: true }, 'auto').plan).toBe('selective');
    expect(
      plan({ status: ['open'], sort: { field: 'status', direction: 'asc' } }, 'auto').plan,
    ).toBe('selective');
  });
});
