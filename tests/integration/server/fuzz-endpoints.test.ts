import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:https';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { Uuid } from '../../../src-shared/domain/primitives';
import { MUTATION_NAMES, MUTATORS } from '../../../src-shared/mutators/registry';
import {
  ChangeEmailRequest,
  ChangePasswordRequest,
  LoginHistoryQuery,
} from '../../../src-shared/protocol/account';
import {
  CreateUserRequest,
  ResetPasswordRequest,
  StatsQuery,
  SupportAccessQuery,
  UpdateUserRequest,
} from '../../../src-shared/protocol/admin';
import { UploadAttachmentQuery } from '../../../src-shared/protocol/attachments';
import {
  LoginRequest,
  LogoutRequest,
  RefreshRequest,
  SetPasswordRequest,
  SignupRequest,
  TenantSlug,
} from '../../../src-shared/protocol/auth';
import { OperatorLoginRequest, SupportAccessRequest } from '../../../src-shared/protocol/operator';
import { PullQuery } from '../../../src-shared/protocol/sync';
import { TicketRef, TicketSearchQuery } from '../../../src-shared/protocol/tickets';
import {
  OPERATOR_PASSWORD_ENV,
  runOperatorCommand,
} from '../../../src-server/cli/operator-command';
import {
  deeplyNestedJson,
  HOSTILE_STRINGS,
  percentEncode,
  spoiled,
} from '../../support/hostile-inputs';
import { listRoutes, type RouteEntry } from '../../support/route-list';
import {
  changedTables,
  openServiceData,
  type DataSnapshot,
  type ServiceData,
} from '../../support/service-data';
import { testPostgresUrl } from '../../support/test-database';
import { startTestServer, type TestServer } from '../../support/test-server';
import { zodArbitrary } from '../../support/zod-arbitrary';

/**
 * Every route of the service, found in fastify's route tree (a new route is fuzzed without being
 * listed here, and fails the test until its inputs are described below), is sent inputs drawn
 * from the shared zod schemas, the same inputs spoiled with hostile values and keys, and random
 * JSON, with no token, a forged one, and real tokens of two tenants and an operator. Every answer
 * must be below 500, carry no stack trace and no SQL or SQLite error text; and a refused request
 * must have written nothing (log-in attempts aside, which are recorded by design).
 */

/** What a route reads, for generating its inputs; `{}` for a route that reads nothing. */
interface RouteInputs {
  body?: fc.Arbitrary<unknown>;
  query?: z.ZodType;
  params?: Record<string, z.ZodType>;
  /** Sends the X-Client-Id header (sync), from the body's clientId when it has one. */
  clientId?: boolean;
  /** The body is raw bytes (an attachment), not JSON. */
  rawBody?: boolean;
}

const mutation = fc.constantFrom(...MUTATION_NAMES).chain((name) =>
  fc.record({
    id: fc.integer({ min: 1, max: 1_000_000 }),
    name: fc.constant(name),
    args: zodArbitrary(MUTATORS[name].args),
  }),
);
const pushBody = fc.record({
  clientId: fc.uuid(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
});

const ROUTE_INPUTS: Record<string, RouteInputs> = {
  'GET /api/v1/health': {},
  'POST /api/v1/auth/signup': { body: zodArbitrary(SignupRequest) },
  'POST /api/v1/auth/set-password': { body: zodArbitrary(SetPasswordRequest) },
  'POST /api/v1/auth/login': { body: zodArbitrary(LoginRequest) },
  'POST /api/v1/auth/logout': { body: zodArbitrary(LogoutRequest) },
  'POST /api/v1/auth/refresh': { body: zodArbitrary(RefreshRequest) },
  'POST /api/v1/admin/users': { body: zodArbitrary(CreateUserRequest) },
  'PATCH /api/v1/admin/users/:id': { params: { id: Uuid }, body: zodArbitrary(UpdateUserRequest) },
  'POST /api/v1/admin/users/:id/reset-password': {
    params: { id: Uuid },
    body: zodArbitrary(ResetPasswordRequest),
  },
  'GET /api/v1/admin/stats': { query: StatsQuery },
  'GET /api/v1/admin/support-access': { query: SupportAccessQuery },
  'GET /api/v1/account/logins': { query: LoginHistoryQuery },
  'GET /api/v1/account/export': {},
  'POST /api/v1/account/email': { body: zodArbitrary(ChangeEmailRequest) },
  'POST /api/v1/account/password': { body: zodArbitrary(ChangePasswordRequest) },
  'GET /api/v1/attachments/:id': { params: { id: Uuid } },
  'GET /api/v1/tickets': { query: TicketSearchQuery },
  'GET /api/v1/tickets/:ticketId': { params: { ticketId: TicketRef } },
  'GET /api/v1/sync/pull': { query: PullQuery, clientId: true },
  'POST /api/v1/sync/push': { body: pushBody, clientId: true },
  'GET /api/v1/sync/events': {},
  'POST /api/v1/operator/login': { body: zodArbitrary(OperatorLoginRequest) },
  'POST /api/v1/operator/tenants/:slug/access': {
    params: { slug: TenantSlug },
    body: zodArbitrary(SupportAccessRequest),
  },
  'POST /api/v1/tickets/:ticketId/attachments': {
    params: { ticketId: Uuid },
    query: UploadAttachmentQuery,
    rawBody: true,
  },
};

/** Per route and kind of token: inputs valid by the schema, spoiled ones, and random JSON. */
/**
 * On PostgreSQL (vitest.pg.config.ts) a third of the samples: every route, token and kind of input
 * still, fewer of each. The SQLite run covers the shared code in full; the PostgreSQL run is for
 * what only its storage can get wrong (text it refuses, its SQL errors), and stays short.
 */
const BUDGET = testPostgresUrl() === null ? 1 : 1 / 3;
const VALID_RUNS = Math.ceil(22 * BUDGET);
const SPOILED_RUNS = Math.ceil(50 * BUDGET);
const RANDOM_RUNS = Math.ceil(12 * BUDGET);
const MIN_INPUTS = Math.round(10_000 * BUDGET);
/**
 * Routes that hash a password (scrypt, on purpose slow) for input that passes the schema: a
 * tenth of the valid and spoiled inputs, or they would take most of the time.
 */
const HASHING_ROUTES = new Set([
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/set-password',
  'POST /api/v1/auth/login',
  'POST /api/v1/operator/login',
  'POST /api/v1/account/password',
  'POST /api/v1/account/email',
]);

const STACK_TRACE =
  /\bat [\w.<>$[\] ]+ \(|\bat (?:file:|node:|\/)|node_modules|\.[cm]?[jt]s:\d+:\d+/;
const SQL_LEAK =
  /SQLITE_[A-Z]|SqliteError|no such (?:table|column|function)|syntax error|unrecognized token|fts5|malformed MATCH|unterminated string|constraint failed|invalid byte sequence|unsupported Unicode escape|duplicate key value|(?:relation|column) "[^"]*" does not exist|\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^"]{0,100}\b(?:FROM|WHERE|VALUES|SET)\b/;
/** Written by refused requests on purpose: every log-in attempt is recorded (and rate-limited). */
const WRITTEN_WHEN_REFUSED = new Set(['login_events', 'operator_logins']);

let t: TestServer;
let data: ServiceData;
let agent: Agent;
let routes: RouteEntry[];
const tokens: Record<string, string | null> = { none: null };

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}
interface Answer {
  status: number;
  text: string;
}

function send(input: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.server.url}${input.path}`,
      { method: input.method, headers: input.headers, agent },
      (res) => {
        // A live event stream stays open: its status and type are the answer.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode!, text: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(input.body);
  });
}

/** A header value node can send: hostile text is percent-encoded rather than dropped. */
function headerSafe(value: string): string {
  return /^[\t\x20-\x7e]*$/.test(value) ? value : percentEncode(value);
}

function queryString(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return `q=${percentEncode(JSON.stringify(value) ?? '')}`;
  }
  return Object.entries(value)
    .map(
      ([k, v]) =>
        `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : JSON.stringify(v))}`,
    )
    .join('&');
}

function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

type Kind = 'valid' | 'spoiled' | 'random';

/** One request for a route, from generated values of its inputs. */
function requestArbitrary(
  route: RouteEntry,
  inputs: RouteInputs,
  kind: Kind,
  token: string | null,
) {
  const shape = (schemaArb: fc.Arbitrary<unknown>) =>
    kind === 'valid'
      ? schemaArb
      : kind === 'spoiled'
        ? spoiled(schemaArb)
        : fc.jsonValue({ maxDepth: 3 });
  const paramNames = Object.keys(inputs.params ?? {});
  const params = fc.tuple(
    ...paramNames.map((name) =>
      kind === 'valid'
        ? zodArbitrary(inputs.params![name]!)
        : fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 30 })),
    ),
  );
  const query = inputs.query ? shape(zodArbitrary(inputs.query)) : fc.constant(undefined);
  const body = inputs.body
    ? shape(inputs.body)
    : inputs.rawBody
      ? fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(...HOSTILE_STRINGS))
      : fc.constant(undefined);
  const contentType = inputs.rawBody
    ? fc.constantFrom('image/png', 'text/html', 'application/json', 'x/y; a=b', '', '../x')
    : fc.constant('application/json');
  return fc
    .tuple(params, query, body, contentType, fc.uuid())
    .map(([paramValues, q, b, type, fallbackClientId]): Sent => {
      let path = route.url;
      paramNames.forEach((name, i) => {
        const raw = String(paramValues[i] ?? '');
        path = path.replace(`:${name}`, raw === '' ? '%20' : percentEncode(raw));
      });
      if (q !== undefined) path += `?${queryString(q)}`;
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (inputs.clientId) {
        const fromBody = (b as { clientId?: unknown } | undefined)?.clientId;
        headers['x-client-id'] = headerSafe(
          typeof fromBody === 'string' ? fromBody : fallbackClientId,
        );
      }
      let payload: string | Buffer | undefined;
      if (b !== undefined && route.method !== 'GET' && route.method !== 'HEAD') {
        payload = b instanceof Uint8Array ? Buffer.from(b) : jsonText(b);
        if (type) headers['content-type'] = type;
      }
      return {
        method: route.method,
        path,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
      };
    });
}

/**
 * Request headers over Node's 16 KiB limit are malformed HTTP, answered (400, in the envelope)
 * before the method is known; a HEAD client then reads that envelope as garbage after the answer
 * and fails with this parse error. Known and harmless (no 5xx, nothing leaked), so counted apart.
 */
function isHeadOverHeaderLimit(input: Sent, error: Error): boolean {
  const size = input.path.length + JSON.stringify(input.headers).length;
  return (
    input.method === 'HEAD' && size > 16_384 && /Data after `Connection: close`/.test(error.message)
  );
}

interface Failure {
  input: string;
  status: number;
  problem: string;
  answer: string;
}

/** Sends one request and checks its answer and what it wrote; returns what went wrong, if anything. */
async function check(input: Sent, state: { print: DataSnapshot }): Promise<Failure | null> {
  const answer = await send(input);
  let problem: string | null = null;
  if (answer.status >= 500) problem = '5xx';
  else if (STACK_TRACE.test(answer.text)) problem = 'stack trace';
  else if (SQL_LEAK.test(answer.text)) problem = 'SQL text';
  const print = await data.snapshot();
  // A sync call binds its client id to the signed-in user at first contact, whatever its outcome
  // (a push answered mutation_gap too): an id, not data.
  const changed = changedTables(state.print, print).filter(
    (table) => !(table === 'sync_clients' && input.path.startsWith('/api/v1/sync/')),
  );
  if (!problem && answer.status >= 400 && changed.length > 0) {
    problem = `refused but wrote to ${changed.join(', ')}`;
  }
  state.print = print;
  if (!problem) return null;
  const shown = typeof input.body === 'string' ? input.body.slice(0, 300) : '';
  return {
    input: `${input.method} ${input.path.slice(0, 200)} ${JSON.stringify(input.headers)} ${shown}`,
    status: answer.status,
    problem,
    answer: answer.text.slice(0, 300),
  };
}

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'fatal' });
  agent = new Agent({ ca: t.ca, keepAlive: true, maxSockets: 1 });
  data = await openServiceData(t, {
    ignoreTables: [...WRITTEN_WHEN_REFUSED],
    ignoreColumns: ['last_seen_at'],
  });
  routes = listRoutes(t.server.app);
  tokens.acmeAgent = (await t.api.login('acme', 'agent1@acme.test')).accessToken;
  tokens.globexAdmin = (await t.api.login('globex', 'admin@globex.test')).accessToken;
  // A token of the right shape whose signature is wrong.
  tokens.forged = `${tokens.acmeAgent.slice(0, -6)}AAAAAA`;
  const operator = { email: 'fuzz-operator@service.test', password: 'operator-password-1' };
  const code = await runOperatorCommand(
    ['add', '--data-dir', t.dataDir, '--email', operator.email],
    {
      env: { ...t.cliEnv, [OPERATOR_PASSWORD_ENV]: operator.password },
      stdin: Readable.from(['']),
      out: () => {},
      err: () => {},
    },
  );
  expect(code).toBe(0);
  const login = await t.api.call('POST', '/api/v1/operator/login', { body: operator });
  expect(login.status).toBe(200);
  tokens.operator = login.body.accessToken as string;
});

afterAll(async () => {
  agent?.destroy();
  await data?.close();
  await t?.close();
});

describe('fuzzing every endpoint', () => {
  it('knows the inputs of every route the service has, and of no route it lacks', () => {
    const served = new Set(
      routes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`),
    );
    expect([...served].sort()).toEqual(Object.keys(ROUTE_INPUTS).sort());
  });

  it(`answers ${MIN_INPUTS}+ generated and hostile requests below 500, without internals, writing nothing when refused`, async () => {
    const state = { print: await data.snapshot() };
    const failures: Failure[] = [];
    const started = Date.now();
    let count = 0;
    let headOverLimit = 0;
    let seed = 20_261_203;
    for (const route of routes) {
      const inputs =
        ROUTE_INPUTS[`${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`]!;
      for (const [name, token] of Object.entries(tokens)) {
        const share = HASHING_ROUTES.has(`${route.method} ${route.url}`) ? 10 : 1;
        for (const [kind, runs] of [
          ['valid', Math.ceil(VALID_RUNS / share)],
          ['spoiled', Math.ceil(SPOILED_RUNS / share)],
          ['random', RANDOM_RUNS],
        ] as const) {
          const samples = fc.sample(requestArbitrary(route, inputs, kind, token), {
            numRuns: runs,
            seed: seed++,
          });
          for (const input of samples) {
            const failure = await check(input, state).catch((error: Error): Failure | null => {
              if (isHeadOverHeaderLimit(input, error)) {
                headOverLimit += 1;
                return null;
              }
              return {
                input: `${input.method} ${input.path.slice(0, 300)} ${JSON.stringify(input.headers)}`,
                status: 0,
                problem: String(error),
                answer: '',
              };
            });
            count += 1;
            if (failure) failures.push({ ...failure, input: `[${name}/${kind}] ${failure.input}` });
          }
        }
      }
    }
    console.info(
      `fuzz-endpoints: ${count} requests to ${routes.length} routes in ${Math.round(
        (Date.now() - started) / 1000,
      )} s (${headOverLimit} HEAD requests over the header limit)`,
    );
    expect({ failed: failures.length, first: failures.slice(0, 10) }).toEqual({
      failed: 0,
      first: [],
    });
    expect(count).toBeGreaterThanOrEqual(MIN_INPUTS);
  }, 300_000);

  it('answers 10 MB strings and deep nesting in bodies, queries and headers below 500', async () => {
    const state = { print: await data.snapshot() };
    const huge = 'x'.repeat(10_000_000);
    const token = tokens.acmeAgent!;
    const json = { 'content-type': 'application/json' };
    const inputs: Sent[] = [
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: json,
        body: jsonText({ tenant: huge }),
      },
      {
        method: 'POST',
        path: `/api/v1/tickets/${randomUUID()}/attachments?name=big.bin`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: Buffer.from(huge),
      },
      { method: 'GET', path: `/api/v1/sync/pull?cursor=${huge.slice(0, 100_000)}`, headers: {} },
      {
        method: 'GET',
        path: '/api/v1/account/logins',
        headers: { authorization: `Bearer ${huge.slice(0, 100_000)}` },
      },
      ...[1_000, 100_000].flatMap((depth) =>
        (['array', 'object'] as const).map((kind): Sent => ({
          method: 'POST',
          path: '/api/v1/sync/push',
          headers: { ...json, authorization: `Bearer ${token}`, 'x-client-id': randomUUID() },
          body: deeplyNestedJson(depth, kind),
        })),
      ),
    ];
    for (const input of inputs) {
      // A server may close the connection while an oversized upload is still being sent: that is a
      // refusal too, as long as whatever answer came was not a 5xx.
      const failure = await check(input, state).catch((error: NodeJS.ErrnoException) => {
        expect(error.code).toMatch(/^(ECONNRESET|EPIPE)$/);
        return null;
      });
      expect(failure).toBeNull();
    }
    // The service is still up and answering.
    expect((await send({ method: 'GET', path: '/api/v1/health', headers: {} })).status).toBe(200);
  });
});
