import { z } from 'zod';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TicketPriority,
  TicketStatus,
  TicketType,
} from '../domain/enums';
import { IsoTime, Tag, Uuid } from '../domain/primitives';

/**
 * Ticket lists and search as the bridge exposes them: the query a caller sends, the page it gets
 * back, and the small search syntax (`status:open tag:vip assignee:me printer jam`).
 *
 * Paging is by keyset, not offset: `next` is an opaque cursor holding the sort keys of the last row
 * of a page, and the following page starts strictly after it. A page costs the same however deep
 * it is, and a ticket that changes between two pages never appears twice because of rows before it
 * moving (it may move itself: a ticket updated while paging by updatedAt jumps to the top).
 */

export const TICKET_SORT_FIELDS = [
  'updatedAt',
  'createdAt',
  'priority',
  'number',
  'status',
  'lastCustomerReplyAt',
] as const;
export const TicketSortField = z.enum(TICKET_SORT_FIELDS);
export type TicketSortField = z.infer<typeof TicketSortField>;
export const SortDirection = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof SortDirection>;

/**
 * Every key runs in the chosen direction and ties are broken by id, so the order is total:
 * - updatedAt, createdAt: the time, then id;
 * - priority: low < normal < high < urgent, then updatedAt, then id;
 * - status: the workflow order new < open < pending < on_hold < solved < closed, then updatedAt,
 *   then id;
 * - number: the ticket number; a ticket without one yet (created here, not yet confirmed by the
 *   service) counts as newer than every numbered ticket; then id.
 * - lastCustomerReplyAt: when the requester last wrote (see TicketSummary), then id; ascending
 *   puts the customer who has waited longest first.
 */
export const TicketSort = z.strictObject({
  field: TicketSortField.default('updatedAt'),
  direction: SortDirection.default('desc'),
});
export type TicketSort = z.infer<typeof TicketSort>;

export const DEFAULT_TICKET_SORT: TicketSort = { field: 'updatedAt', direction: 'desc' };
export const TICKET_PAGE_LIMIT_DEFAULT = 100;
export const TICKET_PAGE_LIMIT_MAX = 500;
/** The longest search a user may type, and the most words full-text search looks at. */
export const SEARCH_INPUT_MAX = 1000;
export const SEARCH_TERMS_MAX = 32;
export const REQUESTER_TERMS_MAX = 8;

// ---- search terms ------------------------------------------------------------------------------

const QUOTES = new Set(['"', '\u201C', '\u201D']);
const WHITESPACE = /\s/u;
const KEY = /([A-Za-z]+):/y;
const MEANINGFUL = /[\p{L}\p{N}]/u;
const CONTROL = /\p{Cc}/gu;

interface Lexeme {
  key: string | null;
  value: string;
  quoted: boolean;
}

/**
 * Splits input into whitespace-separated tokens. A token that starts with a quote runs to the next
 * quote (or the end of the input: an unbalanced quote is closed for the user). With `keys`, a token
 * may start with `name:` and its value may be quoted (`requester:"Ann Lee"`). A quote inside a
 * word is an ordinary character.
 */
function lex(input: string, keys: boolean): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && WHITESPACE.test(input[i]!)) i++;
    if (i >= n) break;
    let key: string | null = null;
    if (keys) {
      KEY.lastIndex = i;
      const match = KEY.exec(input);
      if (match) {
        key = match[1]!;
        i = KEY.lastIndex;
      }
    }
    if (i < n && QUOTES.has(input[i]!)) {
      let j = i + 1;
      while (j < n && !QUOTES.has(input[j]!)) j++;
      out.push({ key, value: input.slice(i + 1, j), quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < n && !WHITESPACE.test(input[j]!)) j++;
      out.push({ key, value: input.slice(i, j), quoted: false });
      i = j;
    }
  }
  return out;
}

/** One full-text term: a word (matched as a prefix) or a quoted phrase (matched as written). */
export interface SearchTerm {
  text: string;
  phrase: boolean;
}

/**
 * The full-text terms of a `text` filter: words, and phrases in double quotes. Control characters
 * are dropped, and so are terms without a letter or digit (the index holds only letters and
 * digits, so such a term could never match anything).
 */
export function searchTerms(text: string): SearchTerm[] {
  return lex(text.replace(CONTROL, ' '), false)
    .map((l) => ({ text: l.value.trim().replace(/\s+/gu, ' '), phrase: l.quoted }))
    .filter((t) => MEANINGFUL.test(t.text));
}

/** Writes terms back as text that `searchTerms` reads as the same terms. */
export function formatSearchTerms(terms: readonly SearchTerm[]): string {
  return terms.map((t) => (t.phrase ? `"${t.text}"` : t.text)).join(' ');
}

const termCount = (max: number, what: string) =>
  z
    .string()
    .max(SEARCH_INPUT_MAX)
    .refine((text) => searchTerms(text).length <= max, `${what} may hold at most ${max} words`);

// ---- cursor ------------------------------------------------------------------------------------

const SortTime = z.string().min(1).max(64);
const CURSOR_KEYS = {
  updatedAt: z.tuple([SortTime]),
  createdAt: z.tuple([SortTime]),
  lastCustomerReplyAt: z.tuple([SortTime]),
  priority: z.tuple([
    z
      .number()
      .int()
      .min(0)
      .max(TICKET_PRIORITIES.length - 1),
    SortTime,
  ]),
  status: z.tuple([
    z
      .number()
      .int()
      .min(0)
      .max(TICKET_STATUSES.length - 1),
    SortTime,
  ]),
  number: z.tuple([z.number().int().positive().nullable()]),
} as const;

/** What a keyset cursor holds: the sort it belongs to and the sort keys of the last row shown. */
export interface TicketCursor {
  field: TicketSortField;
  direction: SortDirection;
  /** The keys of the sort before id: [time] | [priority rank, updatedAt] | [status rank, updatedAt] | [number|null]. */
  keys: Array<string | number | null>;
  id: string;
}

const CursorPayload = z.strictObject({
  v: z.literal(1),
  f: TicketSortField,
  d: SortDirection,
  k: z.array(z.union([z.string(), z.number(), z.null()])).max(4),
  id: z.string().min(1).max(64),
});

const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

export function encodeTicketCursor(cursor: TicketCursor): string {
  const json = asciiJson({
    v: 1,
    f: cursor.field,
    d: cursor.direction,
    k: cursor.keys,
    id: cursor.id,
  });
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The cursor in `after`, or null when it is not one this code wrote. */
export function decodeTicketCursor(after: string): TicketCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(after)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(atob(after.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
  const parsed = CursorPayload.safeParse(payload);
  if (!parsed.success) return null;
  const keys = CURSOR_KEYS[parsed.data.f].safeParse(parsed.data.k);
  if (!keys.success) return null;
  return { field: parsed.data.f, direction: parsed.data.d, keys: keys.data, id: parsed.data.id };
}

// ---- the query ---------------------------------------------------------------------------------

const unique = <T>(values: T[]) => [...new Set(values)];

/**
 * A ticket list request. Every filter given must hold (AND); a list filter matches any of its
 * values (OR), except `tag`, where the ticket must carry every tag. A boolean filter restricts the
 * list when true and does nothing when false or absent.
 */
export const TicketListQuery = z
  .strictObject({
    status: z.array(TicketStatus).min(1).max(50).transform(unique).optional(),
    priority: z.array(TicketPriority).min(1).max(50).transform(unique).optional(),
    /** Assigned to this agent; null: assigned to nobody. */
    assigneeId: Uuid.nullable().optional(),
    /** Assigned to the signed-in user. */
    mine: z.boolean().optional(),
    /** Assigned to nobody (the same as `assigneeId: null`). */
    unassigned: z.boolean().optional(),
    /** The ticket carries every one of these tags. */
    tag: z.array(Tag).min(1).max(10).transform(unique).optional(),
    requesterId: Uuid.optional(),
    /** Full-text match on the requester's name and email only (`requester:ann`). */
    requesterText: termCount(REQUESTER_TERMS_MAX, 'requester').optional(),
    /** Updated at or after this time. */
    updatedSince: IsoTime.optional(),
    /** Has an unresolved needs-attention item (a conflict or a rejected change). */
    needsAttention: z.boolean().optional(),
    /** Has local changes not yet confirmed by the service (not the status "pending"). */
    pending: z.boolean().optional(),
    /** Full text over subject, description, comments and requester name and email. */
    text: termCount(SEARCH_TERMS_MAX, 'search').optional(),
    sort: TicketSort.default(DEFAULT_TICKET_SORT),
    limit: z.number().int().min(1).max(TICKET_PAGE_LIMIT_MAX).default(TICKET_PAGE_LIMIT_DEFAULT),
    /** The `next` of the previous page, with the same sort. */
    after: z.string().min(1).max(1000).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.after === undefined) return;
    const cursor = decodeTicketCursor(query.after);
    if (!cursor) {
      ctx.addIssue({ code: 'custom', path: ['after'], message: 'is not a page cursor' });
    } else if (cursor.field !== query.sort.field || cursor.direction !== query.sort.direction) {
      ctx.addIssue({
        code: 'custom',
        path: ['after'],
        message: 'belongs to another sort order; start again from the first page',
      });
    }
  });
export type TicketListQuery = z.infer<typeof TicketListQuery>;
export type TicketListQueryInput = z.input<typeof TicketListQuery>;

export const TicketSummary = z.object({
  id: Uuid,
  number: z.number().int().positive().nullable(),
  subject: z.string(),
  status: TicketStatus,
  priority: TicketPriority,
  type: TicketType.nullable(),
  requesterId: Uuid,
  /** Null while the requester's contact is not in the replica (or was deleted). */
  requesterName: z.string().nullable(),
  assigneeId: Uuid.nullable(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When the requester last wrote: their newest comment, else the ticket's creation. */
  lastCustomerReplyAt: z.string(),
  /** Local changes not yet confirmed by the service. */
  pending: z.boolean(),
  needsAttention: z.boolean(),
});
export type TicketSummary = z.infer<typeof TicketSummary>;

export const TicketPage = z.object({
  tickets: z.array(TicketSummary),
  /** How many tickets match the filters (all pages together). */
  total: z.number().int().nonnegative(),
  /** Cursor of the next page (`after`), or null on the last page. */
  next: z.string().nullable(),
});
export type TicketPage = z.infer<typeof TicketPage>;

// ---- search syntax ------------------------------------------------------------------------------

export type SearchParseResult =
  { ok: true; query: TicketListQuery } | { ok: false; message: string };

const STATUS_ALIASES = new Map<string, TicketStatus>([
  ['hold', 'on_hold'],
  ['onhold', 'on_hold'],
  ['on-hold', 'on_hold'],
]);
const IS_FLAGS = {
  unassigned: 'unassigned',
  mine: 'mine',
  attention: 'needsAttention',
  pending: 'pending',
} as const;
const KNOWN_KEYS = new Set(['status', 'priority', 'tag', 'assignee', 'requester', 'is', 'updated']);
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPDATED = /^(>=?)(\d{4})-(\d{2})-(\d{2})$/;

class SearchError extends Error {}

const fail = (message: string): never => {
  throw new SearchError(message);
};

const quoteForMessage = (value: string) =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

function listOf(key: string, value: string): string[] {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (items.length === 0) fail(`${key}: needs a value`);
  return items;
}

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  const v = value.toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  return fail(`${key}: ${quoteForMessage(value)} is not one of ${allowed.join(', ')}`);
}

/** `>YYYY-MM-DD`: after that day (from the next midnight UTC); `>=YYYY-MM-DD`: from that day on. */
function updatedSince(value: string): string {
  const match = UPDATED.exec(value);
  if (!match)
    return fail(
      `updated: ${quoteForMessage(value)} is not understood; write updated:>YYYY-MM-DD or updated:>=YYYY-MM-DD`,
    );
  const [, op, y, m, d] = match;
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (
    day.getUTCFullYear() !== Number(y) ||
    day.getUTCMonth() !== Number(m) - 1 ||
    day.getUTCDate() !== Number(d)
  )
    return fail(`updated: ${quoteForMessage(value.slice(op!.length))} is not a date`);
  if (op === '>') day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

/**
 * Reads the search box: `status:open,pending tag:vip assignee:me "printer jam" toner`.
 *
 * - `status:` and `priority:` take one value or a comma list (any of them); repeating the key adds
 *   values. `status:hold` and `status:on-hold` mean on_hold.
 * - `tag:` takes one tag or a comma list; the ticket must carry every tag named.
 * - `assignee:me`, `assignee:none` or `assignee:<uuid>`.
 * - `requester:<uuid>` picks a requester by id; any other value is matched as words against the
 *   requester's name and email (`requester:"Ann Lee"`, `requester:ann@example.com`).
 * - `is:unassigned`, `is:mine`, `is:attention` (needs attention), `is:pending` (local changes not
 *   yet confirmed; the status is `status:pending`).
 * - `updated:>=2026-01-01` (from that day on) or `updated:>2026-01-01` (after that day), in UTC.
 * - Everything else is full-text: words match as prefixes, "quoted phrases" as written. A key this
 *   syntax does not know (`http://x`, `foo:bar`) is ordinary text, and so is a quoted `"status:x"`.
 *
 * Keys are case-insensitive. Never throws: a value it cannot use gives `{ ok: false, message }`.
 */
export function parseSearch(input: string, me: string): SearchParseResult {
  try {
    return { ok: true, query: readSearch(input, me) };
  } catch (error) {
    if (error instanceof SearchError) return { ok: false, message: error.message };
    throw error;
  }
}

function readSearch(input: string, me: string): TicketListQuery {
  if (input.length > SEARCH_INPUT_MAX)
    fail(`The search is too long: at most ${SEARCH_INPUT_MAX} characters.`);
  const status = new Set<TicketStatus>();
  const priority = new Set<TicketPriority>();
  const tags = new Set<string>();
  const text: string[] = [];
  const query: Record<string, unknown> = {};
  // assignee:, requester: and updated: take one value (repeating the same one is harmless).
  const given = new Map<string, string>();
  const once = (key: string, field: string, value: unknown) => {
    const said = `${field}=${JSON.stringify(value)}`;
    if ((given.get(key) ?? said) !== said) fail(`${key}: given more than once`);
    given.set(key, said);
    query[field] = value;
  };

  for (const lexeme of lex(input.replace(CONTROL, ' '), true)) {
    const key = lexeme.key?.toLowerCase() ?? null;
    if (key === null || !KNOWN_KEYS.has(key)) {
      // Plain text. An unknown `key:` stays part of the text: `foo:bar`, or `foo:` "a phrase".
      const prefix = lexeme.key === null ? '' : `${lexeme.key}:`;
      if (lexeme.quoted) text.push(prefix, `"${lexeme.value}"`);
      else text.push(`${prefix}${lexeme.value}`);
      continue;
    }
    const value = lexeme.value.trim();
    if (value === '') fail(`${key}: needs a value`);
    switch (key) {
      case 'status':
        for (const v of listOf(key, value))
          status.add(STATUS_ALIASES.get(v.toLowerCase()) ?? oneOf(key, v, TICKET_STATUSES));
        break;
      case 'priority':
        for (const v of listOf(key, value)) priority.add(oneOf(key, v, TICKET_PRIORITIES));
        break;
      case 'tag':
        for (const v of listOf(key, value)) {
          const tag = Tag.safeParse(v);
          if (!tag.success)
            fail(`tag: ${quoteForMessage(v)} ${tag.error.issues[0]?.message ?? 'is not a tag'}`);
          else tags.add(tag.data);
        }
        break;
      case 'assignee': {
        const v = value.toLowerCase();
        if (v === 'me') once(key, 'assigneeId', me);
        else if (v === 'none') once(key, 'assigneeId', null);
        else if (UUID_SHAPE.test(v)) once(key, 'assigneeId', v);
        else fail(`assignee: ${quoteForMessage(value)} is not me, none or an agent id`);
        break;
      }
      case 'requester': {
        if (UUID_SHAPE.test(value)) {
          once(key, 'requesterId', value.toLowerCase());
        } else {
          const terms = searchTerms(lexeme.quoted ? `"${value}"` : value);
          if (terms.length === 0)
            fail(`requester: ${quoteForMessage(value)} has no letters or digits`);
          once(key, 'requesterText', formatSearchTerms(terms));
        }
        break;
      }
      case 'is':
        for (const v of listOf(key, value)) {
          const flag = oneOf(key, v, Object.keys(IS_FLAGS) as Array<keyof typeof IS_FLAGS>);
          query[IS_FLAGS[flag]] = true;
        }
        break;
      case 'updated':
        once(key, 'updatedSince', updatedSince(value));
        break;
    }
  }

  const terms = searchTerms(text.join(' '));
  if (terms.length > SEARCH_TERMS_MAX)
    fail(`The search has too many words: at most ${SEARCH_TERMS_MAX}.`);
  if (terms.length > 0) query.text = formatSearchTerms(terms);
  if (status.size > 0) query.status = [...status];
  if (priority.size > 0) query.priority = [...priority];
  if (tags.size > 0) {
    if (tags.size > 10) fail('tag: at most 10 tags');
    query.tag = [...tags];
  }
  const parsed = TicketListQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return fail(`${where}${issue.message}`);
  }
  return parsed.data;
}
