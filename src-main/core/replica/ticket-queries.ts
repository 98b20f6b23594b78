import type { Database } from 'better-sqlite3';
import {
  TicketListQuery,
  decodeTicketCursor,
  encodeTicketCursor,
  parseSearch,
  searchTerms,
  type SearchTerm,
  type TicketListQueryInput,
  type TicketPage,
  type TicketSort,
  type TicketSortField,
  type TicketCursor,
  type TicketSummary,
} from '../../../src-shared/bridge/ticket-query';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../src-shared/domain/enums';
import { cachedStatement } from './statement-cache';
import type { TicketsRow } from './tickets-row';

/**
 * Ticket lists and search over the replica's query projection (`tickets`, `ticket_tags`,
 * `ticket_fts`, kept by TicketProjection). SQL text is put together from the fixed fragments
 * below only; every value is a bound parameter, and user text reaches FTS5 only as quoted phrases.
 *
 * A page is read as: the count of all matches; the rowids of the page in order (limit + 1 of them,
 * to know whether there is a next page); then the page's rows with tags, requester name and
 * needs-attention, so that those per-row lookups run for the rows shown only.
 *
 * Two plans for the rowid query, because SQLite without statistics cannot tell which is cheaper:
 * - `selective`: filters in the form that lets an index find the matching rows (tags, full text,
 *   needs-attention and pending through their own tables), then sort the matches. Best when few
 *   rows match.
 * - `ordered`: walk the index that delivers the sort order and test the other filters row by row
 *   (a unary `+` keeps the planner off the other indexes), stopping after `limit + 1` rows. Best
 *   when many rows match: it reads about limit × tickets / matches rows. The status sort walks
 *   tickets_by_status one status at a time, in workflow order.
 * `auto` takes `ordered` when matches² > limit × tickets, that is when it reads fewer rows.
 */

export type QueryStrategy = 'auto' | 'selective' | 'ordered';
export type QueryPlan = Exclude<QueryStrategy, 'auto'>;
type Plan = QueryPlan;

export interface ListOptions {
  /** Which plan to use; `auto` (the default) decides from the number of matches. For tests. */
  strategy?: QueryStrategy;
}

export type SearchTicketsResult =
  { ok: true; query: TicketListQuery; page: TicketPage } | { ok: false; message: string };

interface Fragment {
  sql: string;
  params: unknown[];
}

// ---- full-text matches -------------------------------------------------------------------------

/**
 * A read's full-text matches, as rowids in a temp table keyed by them. The count and the page both
 * test rows against the matches; written as `IN (SELECT rowid FROM ticket_fts …)`, each built its
 * own set of them, and a broad word matches half the tickets (`escalated status:pending`: 9.5 ms
 * for the count, 7.2 for the page, at 100,000 tickets). Filled once, FTS5 runs once and the page's
 * walk probes the table's own key. Temp tables are the connection's own: another connection's
 * reads do not see this one, and writing them takes no lock on the replica.
 */
const MATCHES = 'temp.search_matches';
const matchTables = new WeakSet<Database>();

function fillMatches(db: Database, match: string): void {
  if (!matchTables.has(db)) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS search_matches (r INTEGER PRIMARY KEY)`);
    matchTables.add(db);
  }
  cachedStatement(db, `DELETE FROM ${MATCHES}`).run();
  cachedStatement(
    db,
    `INSERT INTO ${MATCHES} SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?`,
  ).run(match);
}

// ---- sort ------------------------------------------------------------------------------------

const STATUS_RANK_SQL = `(CASE t.status ${TICKET_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END)`;

/** The sort keys before the final `t.id`, as SQL over the projection. */
const SORT_KEYS: Record<TicketSortField, string[]> = {
  updatedAt: ['t.updated_at'],
  createdAt: ['t.created_at'],
  priority: ['t.priority_rank', 't.updated_at'],
  status: [STATUS_RANK_SQL, 't.updated_at'],
  number: ['t.number'],
  lastCustomerReplyAt: ['t.last_customer_reply_at'],
};

function orderBy(sort: TicketSort): string {
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  // A ticket without a number yet is newer than all others: last going up, first going down.
  const keys =
    sort.field === 'number'
      ? [`t.number ${dir} ${dir === 'ASC' ? 'NULLS LAST' : 'NULLS FIRST'}`]
      : SORT_KEYS[sort.field].map((k) => `${k} ${dir}`);
  return `ORDER BY ${[...keys, `t.id ${dir}`].join(', ')}`;
}

/** Rows strictly after the cursor in the sort order. */
function keyset(sort: TicketSort, keys: Array<string | number | null>, id: string): Fragment {
  const op = sort.direction === 'asc' ? '>' : '<';
  if (sort.field === 'number') {
    const [number] = keys;
    if (number === null || number === undefined) {
      return sort.direction === 'asc'
        ? { sql: '(t.number IS NULL AND t.id > ?)', params: [id] }
        : { sql: '((t.number IS NULL AND t.id < ?) OR t.number IS NOT NULL)', params: [id] };
    }
    const numbered = `(t.number ${op}= ? AND (t.number ${op} ? OR t.id ${op} ?))`;
    return sort.direction === 'asc'
      ? { sql: `(${numbered} OR t.number IS NULL)`, params: [number, number, id] }
      : { sql: numbered, params: [number, number, id] };
  }
  // (k1, k2) <= (v1, v2) AND ((k1, k2) < (v1, v2) OR id < v): the first half is an index range.
  const columns = `(${SORT_KEYS[sort.field].join(', ')})`;
  const values = `(${keys.map(() => '?').join(', ')})`;
  return {
    sql: `(${columns} ${op}= ${values} AND (${columns} ${op} ${values} OR t.id ${op} ?))`,
    params: [...keys, ...keys, id],
  };
}

function cursorKeys(field: TicketSortField, row: DetailRow): Array<string | number | null> {
  switch (field) {
    case 'updatedAt':
      return [row.updated_at];
    case 'createdAt':
      return [row.created_at];
    case 'priority':
      return [row.priority_rank, row.updated_at];
    case 'status':
      return [TICKET_STATUSES.indexOf(row.status as never), row.updated_at];
    case 'number':
      return [row.number];
    case 'lastCustomerReplyAt':
      return [row.last_customer_reply_at];
  }
}

// ---- filters ---------------------------------------------------------------------------------

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * A last token this short is matched as a whole word, not as a prefix: FTS5 expands a prefix to
 * every term starting with it, and one or two letters start a large part of the vocabulary (the
 * `fi` of `wi-fi` alone cost 12.7 ms per evaluation at 100,000 tickets, against 0.9 ms for `fi`).
 * Not for scripts written without spaces, where a short token is a selective word stem.
 */
const SHORT_PREFIX = /(?:^|[^\p{L}\p{N}\p{M}])[\p{L}\p{N}\p{M}]{1,2}[^\p{L}\p{N}\p{M}]*$/u;
const UNSPACED_SCRIPT = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}]/u;

/** `"term"*` for a word, `"a phrase"` for a phrase: no FTS5 syntax in user text survives quoting. */
function ftsPhrase(term: SearchTerm): string {
  const quoted = `"${term.text.replaceAll('"', '""')}"`;
  const prefix = !SHORT_PREFIX.test(term.text) || UNSPACED_SCRIPT.test(term.text);
  return term.phrase || !prefix ? quoted : `${quoted}*`;
}

/** The FTS5 MATCH expression for the text filters, or null when they hold no usable term. */
export function ftsMatchExpression(text?: string, requesterText?: string): string | null {
  const parts: string[] = [];
  const words = searchTerms(text ?? '');
  if (words.length > 0) parts.push(words.map(ftsPhrase).join(' AND '));
  const requester = searchTerms(requesterText ?? '');
  if (requester.length > 0) parts.push(`requester : (${requester.map(ftsPhrase).join(' AND ')})`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/**
 * Whether an equality or range on this column may drive the `ordered` plan: only when the index
 * that serves it (tickets_by_status, _by_priority, _by_assignee, _by_requester, _by_updated) also
 * delivers the rows in sort order.
 */
function servesOrder(
  column: 'status' | 'priority' | 'assignee' | 'requester' | 'updated',
  q: TicketListQuery,
): boolean {
  const byUpdated = q.sort.field === 'updatedAt';
  switch (column) {
    case 'status':
      return byUpdated && q.status?.length === 1;
    case 'priority':
      return q.sort.field === 'priority' || (byUpdated && q.priority?.length === 1);
    default:
      return byUpdated;
  }
}

/** Whether a filter can be read from an index of `tickets` (see migration 0010's indexes). */
function hasIndexedFilter(q: TicketListQuery): boolean {
  return (
    q.status !== undefined ||
    q.priority !== undefined ||
    q.mine === true ||
    q.unassigned === true ||
    q.assigneeId !== undefined ||
    q.requesterId !== undefined ||
    q.updatedSince !== undefined
  );
}

function filters(q: TicketListQuery, me: string, plan: Plan): Fragment[] {
  const out: Fragment[] = [];
  const col = (column: Parameters<typeof servesOrder>[0], sql: string) =>
    plan === 'selective' || servesOrder(column, q) ? sql : `+${sql}`;
  const inList = (sql: string, values: unknown[]): Fragment =>
    values.length === 1
      ? { sql: `${sql} = ?`, params: values }
      : { sql: `${sql} IN (${marks(values.length)})`, params: values };

  if (q.status) out.push(inList(col('status', 't.status'), q.status));
  if (q.priority) {
    const ranks = q.priority.map((p) => TICKET_PRIORITIES.indexOf(p));
    out.push(inList(col('priority', 't.priority_rank'), ranks));
  }
  const assignee = col('assignee', 't.assignee_id');
  if (q.mine) out.push({ sql: `${assignee} = ?`, params: [me] });
  if (q.assigneeId !== undefined) {
    out.push(
      q.assigneeId === null
        ? { sql: `${assignee} IS NULL`, params: [] }
        : { sql: `${assignee} = ?`, params: [q.assigneeId] },
    );
  }
  if (q.unassigned && q.assigneeId !== null) out.push({ sql: `${assignee} IS NULL`, params: [] });
  if (q.requesterId !== undefined)
    out.push({ sql: `${col('requester', 't.requester_id')} = ?`, params: [q.requesterId] });
  if (q.updatedSince !== undefined) {
    // Stored times are toISOString() output; normalise so that the text comparison is a time one.
    const since = new Date(q.updatedSince).toISOString();
    out.push({ sql: `${col('updated', 't.updated_at')} >= ?`, params: [since] });
  }
  for (const tag of q.tag ?? []) {
    out.push(
      plan === 'selective'
        ? {
            sql: 't.rowid IN (SELECT g.ticket_rowid FROM ticket_tags g WHERE g.tag = ?)',
            params: [tag],
          }
        : {
            sql: 'EXISTS (SELECT 1 FROM ticket_tags g WHERE g.tag = ? AND g.ticket_rowid = t.rowid)',
            params: [tag],
          },
    );
  }
  if (q.needsAttention) {
    out.push({
      sql:
        plan === 'selective'
          ? `t.id IN (SELECT na.entity_id FROM needs_attention na WHERE na.entity = 'ticket' AND na.resolved_at IS NULL)`
          : `EXISTS (SELECT 1 FROM needs_attention na WHERE na.entity = 'ticket' AND na.entity_id = t.id AND na.resolved_at IS NULL)`,
      params: [],
    });
  }
  if (q.pending) {
    out.push({ sql: 't.pending = 1', params: [] });
    // Only tickets with overlay rows can be pending, and the overlay is small: drive from it.
    // (`t.pending = 1` above keeps the answer exact whatever the overlay holds.)
    if (plan === 'selective') {
      out.push({
        sql: `t.id IN (SELECT o.id FROM overlay o WHERE o.entity = 'ticket' UNION ALL SELECT o.parent_id FROM overlay o WHERE o.entity = 'comment' AND o.parent_id IS NOT NULL)`,
        params: [],
      });
    }
  }
  const match = ftsMatchExpression(q.text, q.requesterText);
  if (match !== null) {
    // Ordered, or with a filter that an index of tickets serves: the matches become a set that
    // the walk of that index tests each row against. Driving from the matches instead looks up
    // every match's row at random (at 100,000 tickets `refund` matches 54,290: 28 ms for the
    // count of `updated:>=… refund`, against 9 ms from tickets_by_updated).
    const rowid = plan === 'selective' && !hasIndexedFilter(q) ? 't.rowid' : '+t.rowid';
    out.push({ sql: `${rowid} IN ${MATCHES}`, params: [] });
  }
  return out;
}

function where(fragments: Fragment[]): Fragment {
  if (fragments.length === 0) return { sql: '', params: [] };
  return {
    sql: `WHERE ${fragments.map((f) => f.sql).join(' AND ')}`,
    params: fragments.flatMap((f) => f.params),
  };
}

// ---- statements of a query ----------------------------------------------------------------

interface Statements {
  plan: Plan;
  count: Fragment;
  /** Run in turn, each with `LIMIT ?` bound to the rows still wanted, until the page is full. */
  page: Fragment[];
}

const SET_FILTERS = new Set(['tag', 'text', 'requesterText', 'sort', 'limit', 'after']);

/**
 * The number of matches. When the only filters are tags and full text, it is counted in
 * ticket_tags and the matches alone, without visiting a ticket row (five to ten times faster on a
 * broad match): TicketProjection writes those rows with their ticket and deletes them with it.
 */
function countStatement(q: TicketListQuery, me: string): Fragment {
  const given = Object.entries(q).filter(
    ([key, value]) => value !== undefined && !SET_FILTERS.has(key),
  );
  const match = ftsMatchExpression(q.text, q.requesterText);
  if (given.length === 0 && q.tag) {
    const [first, ...more] = q.tag;
    const exists = more.map(
      () =>
        'AND EXISTS (SELECT 1 FROM ticket_tags g WHERE g.tag = ? AND g.ticket_rowid = g0.ticket_rowid)',
    );
    if (match !== null) exists.push(`AND +g0.ticket_rowid IN ${MATCHES}`);
    return {
      sql: `SELECT count(*) AS n FROM ticket_tags g0 WHERE g0.tag = ? ${exists.join(' ')}`,
      params: [first, ...more],
    };
  }
  if (given.length === 0 && !q.tag && match !== null) {
    return { sql: `SELECT count(*) AS n FROM ${MATCHES}`, params: [] };
  }
  const w = where(filters(q, me, 'selective'));
  return { sql: `SELECT count(*) AS n FROM tickets t ${w.sql}`, params: w.params };
}

/** The count's statement, with the matches it and the page read filled in first. */
function countStatementWithMatches(db: Database, q: TicketListQuery, me: string): Fragment {
  const match = ftsMatchExpression(q.text, q.requesterText);
  if (match !== null) fillMatches(db, match);
  return countStatement(q, me);
}

function pageStatements(q: TicketListQuery, me: string, plan: Plan): Fragment[] {
  const cursor = q.after === undefined ? null : decodeTicketCursor(q.after)!;
  if (plan === 'ordered' && q.sort.field === 'status') return statusArms(q, me, cursor);
  const parts = filters(q, me, plan);
  if (cursor) parts.push(keyset(q.sort, cursor.keys, cursor.id));
  const w = where(parts);
  return [
    {
      sql: `SELECT t.rowid AS r FROM tickets t ${w.sql} ${orderBy(q.sort)} LIMIT ?`,
      params: w.params,
    },
  ];
}

/**
 * The ordered plan of a status sort. No index holds the workflow order, but tickets_by_status
 * holds each status in updatedAt order: one statement per status, in workflow order, each walking
 * its part of the index. Statuses wholly before the cursor are left out; the cursor's own status
 * starts after it.
 */
function statusArms(q: TicketListQuery, me: string, cursor: TicketCursor | null): Fragment[] {
  const sort = { field: 'updatedAt', direction: q.sort.direction } as const;
  const others = filters({ ...q, status: undefined, sort }, me, 'ordered');
  const ranks = TICKET_STATUSES.map((_s, rank) => rank);
  if (q.sort.direction === 'desc') ranks.reverse();
  const arms: Fragment[] = [];
  for (const rank of ranks) {
    const status = TICKET_STATUSES[rank]!;
    if (q.status && !q.status.includes(status)) continue;
    const parts: Fragment[] = [{ sql: 't.status = ?', params: [status] }, ...others];
    if (cursor) {
      const [cursorRank, updatedAt] = cursor.keys as [number, string];
      if (q.sort.direction === 'asc' ? rank < cursorRank : rank > cursorRank) continue;
      if (rank === cursorRank) parts.push(keyset(sort, [updatedAt], cursor.id));
    }
    const w = where(parts);
    arms.push({
      sql: `SELECT t.rowid AS r FROM tickets t ${w.sql} ${orderBy(sort)} LIMIT ?`,
      params: w.params,
    });
  }
  return arms;
}

function choosePlan(
  db: Database,
  q: TicketListQuery,
  total: number,
  strategy: QueryStrategy,
): Plan {
  if (strategy !== 'auto') return strategy;
  const tickets = (cachedStatement(db, 'SELECT count(*) AS n FROM tickets').get() as { n: number })
    .n;
  return total * total > q.limit * tickets ? 'ordered' : 'selective';
}

const DETAIL_SQL = `
  SELECT t.rowid AS r, t.id, t.number, t.subject, t.status, t.priority, t.priority_rank, t.type,
    t.requester_id, t.assignee_id, t.created_at, t.updated_at, t.last_customer_reply_at, t.pending,
    (SELECT json_group_array(g.tag) FROM ticket_tags g WHERE g.ticket_rowid = t.rowid) AS tags,
    CASE WHEN o.id IS NOT NULL THEN json_extract(o.data, '$.name')
      ELSE json_extract(b.data, '$.name') END AS requester_name,
    EXISTS (SELECT 1 FROM needs_attention na WHERE na.entity = 'ticket' AND na.entity_id = t.id
      AND na.resolved_at IS NULL) AS needs_attention
  FROM json_each(?) j
  JOIN tickets t ON t.rowid = j.value
  LEFT JOIN overlay o ON o.entity = 'contact' AND o.id = t.requester_id
  LEFT JOIN base b ON b.entity = 'contact' AND b.id = t.requester_id
  ORDER BY j.key`;

/** A `tickets` row with what the list shows beside it. */
interface DetailRow extends TicketsRow {
  r: number;
  tags: string;
  requester_name: string | null;
  needs_attention: number;
}

function summary(row: DetailRow): TicketSummary {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status as TicketSummary['status'],
    priority: row.priority as TicketSummary['priority'],
    type: row.type as TicketSummary['type'],
    requesterId: row.requester_id,
    requesterName: row.requester_name,
    assigneeId: row.assignee_id,
    tags: (JSON.parse(row.tags) as string[]).sort(),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastCustomerReplyAt: row.last_customer_reply_at,
    pending: row.pending === 1,
    needsAttention: row.needs_attention === 1,
  };
}

function statementsFor(
  db: Database,
  q: TicketListQuery,
  me: string,
  strategy: QueryStrategy,
): Statements & { total: number } {
  const count = countStatementWithMatches(db, q, me);
  const total = (cachedStatement(db, count.sql).get(...count.params) as { n: number }).n;
  const plan = choosePlan(db, q, total, strategy);
  return { plan, count, page: pageStatements(q, me, plan), total };
}

// ---- public ----------------------------------------------------------------------------------

/**
 * One page of tickets matching the query, in its sort order, with the number of all matches and
 * the cursor of the next page. `meUserId` is the signed-in user (for `mine`). The query is
 * validated here too (it throws a ZodError when it is not a TicketListQuery); the bridge validates
 * it with the same schema before.
 */
export function listTickets(
  db: Database,
  query: TicketListQueryInput,
  meUserId: string,
  options: ListOptions = {},
): TicketPage {
  const q = TicketListQuery.parse(query);
  // One read transaction: the count and the page see the same state even if another connection
  // writes in between (within a caller's transaction it becomes a savepoint).
  return db.transaction(() => readPage(db, q, meUserId, options.strategy ?? 'auto'))();
}

function readPage(
  db: Database,
  q: TicketListQuery,
  me: string,
  strategy: QueryStrategy,
): TicketPage {
  const { page, total } = statementsFor(db, q, me, strategy);
  const rowids: number[] = [];
  for (const part of page) {
    const wanted = q.limit + 1 - rowids.length;
    if (wanted <= 0) break;
    for (const row of cachedStatement(db, part.sql).all(...part.params, wanted) as Array<{
      r: number;
    }>)
      rowids.push(row.r);
  }
  const more = rowids.length > q.limit;
  if (more) rowids.length = q.limit;
  const rows =
    rowids.length === 0
      ? []
      : (cachedStatement(db, DETAIL_SQL).all(JSON.stringify(rowids)) as DetailRow[]);
  const last = rows[rows.length - 1];
  const next =
    more && last
      ? encodeTicketCursor({
          field: q.sort.field,
          direction: q.sort.direction,
          keys: cursorKeys(q.sort.field, last),
          id: last.id,
        })
      : null;
  return { tickets: rows.map(summary), total, next };
}

/**
 * How many tickets match the query's filters (its sort and paging play no part): what a saved
 * view shows beside its name. Counted as a page's `total` is.
 */
export function countTickets(db: Database, query: TicketListQueryInput, meUserId: string): number {
  const q = TicketListQuery.parse(query);
  return db.transaction(() => {
    const count = countStatementWithMatches(db, q, meUserId);
    return (cachedStatement(db, count.sql).get(...count.params) as { n: number }).n;
  })();
}

/**
 * Runs what the user typed in the search box (see parseSearch for the syntax), with the sort and
 * paging of a list. Never throws on user input: a search it cannot read, or a cursor of another
 * sort, gives `{ ok: false, message }`.
 */
export function searchTickets(
  db: Database,
  text: string,
  meUserId: string,
  paging: Pick<TicketListQueryInput, 'sort' | 'limit' | 'after'> = {},
  options: ListOptions = {},
): SearchTicketsResult {
  const parsed = parseSearch(text, meUserId);
  if (!parsed.ok) return parsed;
  const { sort: _sort, limit: _limit, ...filters } = parsed.query;
  const query = TicketListQuery.safeParse({ ...filters, ...paging });
  if (!query.success) {
    const issue = query.error.issues[0]!;
    return { ok: false, message: `${issue.path.join('.') || 'query'}: ${issue.message}` };
  }
  return { ok: true, query: query.data, page: listTickets(db, query.data, meUserId, options) };
}

/**
 * EXPLAIN QUERY PLAN of the count and of the page statement a query would run, one detail line
 * per step, for tests and diagnostics.
 */
export function explainTicketQuery(
  db: Database,
  query: TicketListQueryInput,
  meUserId: string,
  options: ListOptions = {},
): { plan: QueryPlan; count: string[]; page: string[] } {
  const q = TicketListQuery.parse(query);
  const { plan, count, page } = statementsFor(db, q, meUserId, options.strategy ?? 'auto');
  const explain = (f: Fragment, ...extra: unknown[]) =>
    (
      db.prepare(`EXPLAIN QUERY PLAN ${f.sql}`).all(...f.params, ...extra) as Array<{
        detail: string;
      }>
    ).map((row) => row.detail);
  return { plan, count: explain(count), page: page.flatMap((f) => explain(f, q.limit + 1)) };
}
