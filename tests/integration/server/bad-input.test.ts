import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { connect } from 'node:tls';
import axios, { type AxiosInstance } from 'axios';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTATION_NAMES } from '../../../src-shared/mutators/registry';
import {
  ERROR_STATUS,
  ErrorEnvelope,
  type ErrorCode,
  type FieldIssue,
} from '../../../src-shared/protocol/errors';
import { BODY_MAX_BYTES } from '../../../src-shared/protocol/sync';
import { SyncSession, type ApiResponse, type CallOptions } from '../../support/api-client';
import { namesField } from '../../support/field-issues';
import { percentEncode } from '../../support/hostile-inputs';
import {
  changedTables,
  openServiceData,
  type DataSnapshot,
  type ServiceData,
} from '../../support/service-data';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * Hostile and malformed input to every endpoint: always a 4xx in the error envelope (or a proper
 * success), never a 5xx, always an X-Request-Id, and nothing written by a rejected request.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestServer;
let data: ServiceData;
/** Keep-alive connections: hundreds of requests here, and one TLS handshake each would dominate. */
let keepAlive: Agent;
let http: AxiosInstance;
let admin: SyncSession;
/** A globex agent that PATCH calls aim at (never with a valid body). */
let targetUserId: string;
let refreshToken: string;

beforeAll(async () => {
  t = await startTestServer({ demo: true, logLevel: 'warn' });
  admin = await t.api.session('globex', 'admin@globex.test');
  const agent = await t.api.login('globex', 'agent2@globex.test');
  targetUserId = agent.user.id;
  refreshToken = agent.refreshToken;
  // A client's last-seen time moves with every pull: no content.
  data = await openServiceData(t, { ignoreColumns: ['last_seen_at'] });
  keepAlive = new Agent({ ca: t.ca, keepAlive: true, maxSockets: 8 });
  http = axios.create({
    baseURL: t.server.url,
    httpsAgent: keepAlive,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxContentLength: Infinity,
    maxBodyLength: Infinity,
  });
  // The client binds on its first pull; every later pull of it writes nothing but its last-seen time.
  expect((await admin.pull('0', 1)).status).toBe(200);
});
afterAll(async () => {
  keepAlive?.destroy();
  await data?.close();
  await t?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** Like ApiClient.call, over keep-alive connections. */
async function api(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.clientId) headers['x-client-id'] = options.clientId;
  let data: unknown = options.rawBody;
  if (options.body !== undefined) data = JSON.stringify(options.body);
  if (data !== undefined) headers['content-type'] ??= 'application/json';
  const response = await http.request({
    method,
    url: path,
    data,
    headers,
    transformRequest: [(d: unknown) => d],
  });
  let body: unknown = response.data;
  try {
    body = typeof body === 'string' && body !== '' ? JSON.parse(body) : body;
  } catch {
    // not JSON: left as text
  }
  return {
    status: response.status,
    headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)])),
    body,
  };
}

/** The synced rows, as a count and checksum. */
async function recordsState(): Promise<string | undefined> {
  return (await data.snapshot()).records;
}

interface State {
  db: DataSnapshot;
  pull: unknown;
}

/** The whole database (tenant list included) and what a pull from 0 shows. */
async function state(): Promise<State> {
  const pull = await api('GET', '/api/v1/sync/pull?cursor=0&limit=5000', {
    token: admin.token,
    clientId: admin.clientId,
  });
  expect(pull.status).toBe(200);
  return { db: await data.snapshot(), pull: (pull.body as { changes: unknown }).changes };
}

async function expectUnchangedSince(before: State): Promise<void> {
  const after = await state();
  expect(after.db.tenants).toBeDefined();
  expect(changedTables(before.db, after.db)).toEqual([]);
  expect(after.pull).toEqual(before.pull);
}

/** Runs `fn` and checks that it wrote nothing. */
async function expectNoWrites(fn: () => Promise<void>): Promise<void> {
  const before = await state();
  await fn();
  await expectUnchangedSince(before);
}

function expectError(response: ApiResponse, status: number | '4xx', code?: ErrorCode): void {
  const context = `${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
  if (status === '4xx') {
    expect(response.status, context).toBeGreaterThanOrEqual(400);
    expect(response.status, context).toBeLessThan(500);
  } else {
    expect(response.status, context).toBe(status);
  }
  expect(response.headers['x-request-id'], context).toMatch(UUID);
  expect(ErrorEnvelope.safeParse(response.body).success, context).toBe(true);
  const actual = (response.body as { error: { code: ErrorCode } }).error.code;
  expect(ERROR_STATUS[actual], context).toBe(response.status);
  if (code) expect(actual, context).toBe(code);
}

function detailsOf(response: ApiResponse): string[] {
  const details = (
    response.body as { error: { details?: Array<{ path: string; message: string }> } }
  ).error.details;
  return (details ?? []).map((d) => `${d.path}: ${d.message}`);
}

/** Every field named somewhere in `details`, as a path or in an unrecognized-key message. */
function namedFields(response: ApiResponse): string {
  return detailsOf(response).join('\n');
}

interface Endpoint {
  name: string;
  method: 'POST' | 'PATCH';
  path: () => string;
  auth?: boolean;
  clientId?: string;
  /** A valid body: only ever sent with something wrong added. */
  valid: () => Record<string, unknown>;
  /** Members with values of the wrong type, all of which `details` must name. */
  wrongTypes: Record<string, unknown>;
  /** Fields an empty object is missing. */
  required: string[];
  /** String fields, for oversized values. */
  strings: string[];
}

const pushClientId = randomUUID();

const BODY_ENDPOINTS: Endpoint[] = [
  {
    name: 'signup',
    method: 'POST',
    path: () => '/api/v1/auth/signup',
    valid: () => ({
      company: { name: 'Initech' },
      user: { name: 'Bill', email: 'bill@initech.test', password: 'long-password-1' },
      seats: 3,
    }),
    wrongTypes: { company: 'Initech', user: 42, seats: '3', newsletter: 'yes' },
    required: ['company', 'user', 'seats'],
    strings: ['company.name', 'user.name', 'user.email', 'user.password', 'company.website'],
  },
  {
    name: 'login',
    method: 'POST',
    path: () => '/api/v1/auth/login',
    valid: () => ({ tenant: 'globex', email: 'admin@globex.test', password: 'demo-password-1' }),
    wrongTypes: { tenant: 1, email: true, password: [], clientId: 5 },
    required: ['tenant', 'email', 'password'],
    strings: ['tenant', 'email', 'password', 'clientId'],
  },
  {
    name: 'refresh',
    method: 'POST',
    path: () => '/api/v1/auth/refresh',
    valid: () => ({ refreshToken, clientId: randomUUID() }),
    wrongTypes: { refreshToken: 1, clientId: {} },
    required: ['refreshToken', 'clientId'],
    strings: ['refreshToken', 'clientId'],
  },
  {
    name: 'logout',
    method: 'POST',
    path: () => '/api/v1/auth/logout',
    valid: () => ({ refreshToken }),
    wrongTypes: { refreshToken: false },
    required: ['refreshToken'],
    strings: ['refreshToken'],
  },
  {
    name: 'set-password',
    method: 'POST',
    path: () => '/api/v1/auth/set-password',
    valid: () => ({
      tenant: 'globex',
      email: 'admin@globex.test',
      setupToken: 'not-a-real-setup-token',
      newPassword: 'long-password-1',
    }),
    wrongTypes: { tenant: 1, email: true, setupToken: [], newPassword: 5 },
    required: ['tenant', 'email', 'setupToken', 'newPassword'],
    strings: ['tenant', 'email', 'setupToken', 'newPassword'],
  },
  {
    name: 'admin users POST',
    method: 'POST',
    path: () => '/api/v1/admin/users',
    auth: true,
    valid: () => ({
      name: 'Nia',
      email: 'nia@globex.test',
      role: 'agent',
      password: 'long-password-1',
    }),
    wrongTypes: { name: 1, email: 2, role: 'owner', password: 3 },
    // Without a password the user is invited (they set their own with a setup token).
    required: ['name', 'email', 'role'],
    strings: ['name', 'email', 'password', 'role'],
  },
  {
    name: 'admin users PATCH',
    method: 'PATCH',
    path: () => `/api/v1/admin/users/${targetUserId}`,
    auth: true,
    valid: () => ({ active: true }),
    wrongTypes: { role: 7, active: 'no' },
    required: ['(root)'],
    strings: ['role'],
  },
  {
    name: 'push',
    method: 'POST',
    path: () => '/api/v1/sync/push',
    auth: true,
    clientId: pushClientId,
    valid: () => ({ clientId: pushClientId, mutations: [] }),
    wrongTypes: { clientId: 1, mutations: {} },
    required: ['clientId', 'mutations'],
    strings: ['clientId'],
  },
];

function call(endpoint: Endpoint, options: CallOptions): Promise<ApiResponse> {
  return api(endpoint.method, endpoint.path(), {
    ...(endpoint.auth ? { token: admin.token } : {}),
    ...(endpoint.clientId ? { clientId: endpoint.clientId } : {}),
    ...options,
  });
}

/** Sets `path` (a.b) in a copy of `body`. */
function withField(
  body: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return copy;
}

const nested = (depth: number, leaf = '1') => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;

/** One request on a fresh connection; resolves at the status line (streams are cut there). */
function rawHttps(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, t.server.url), { headers, agent: keepAlive }, (res) => {
      const result = { status: res.statusCode ?? 0, headers: res.headers };
      if (/event-stream/.test(String(res.headers['content-type']))) {
        res.destroy();
        req.destroy();
        resolve(result);
        return;
      }
      res.resume();
      res.on('end', () => resolve(result));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** Raw bytes over TLS: for HTTP so malformed that no HTTP client would send it. */
function rawTls(payload: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = connect(
      { host: '127.0.0.1', port: t.server.port, ca: t.ca, servername: 'localhost' },
      () => socket.write(payload),
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (out += chunk));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
    setTimeout(() => socket.destroy(), 4000).unref();
  });
}

function parseRawResponse(raw: string): {
  status: number;
  headers: Record<string, string>;
  body: unknown;
} {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  let body: unknown = rest.join('\r\n\r\n');
  try {
    body = JSON.parse(body as string);
  } catch {
    // left as text
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

// ---------------------------------------------------------------------------------------------

describe.each(BODY_ENDPOINTS)('$name', (endpoint) => {
  let before: State;
  beforeAll(async () => {
    before = await state();
  });

  it('answers malformed JSON, an empty body and non-object JSON with 400', async () => {
    for (const rawBody of [
      '{bad',
      '{"a":',
      "{'a':1}",
      '{"a":1,}',
      '{"a":1}}',
      'undefined',
      'NaN',
      '\u0000',
      '',
    ]) {
      expectError(await call(endpoint, { rawBody }), 400, 'bad_request');
    }
    for (const rawBody of ['null', '[]', '"text"', '42', 'true', '[{"a":1}]']) {
      const response = await call(endpoint, { rawBody });
      expectError(response, 400, 'bad_request');
      expect(namedFields(response)).toContain('(root)');
    }
  });

  it('names the missing fields of an empty object', async () => {
    const response = await call(endpoint, { body: {} });
    expectError(response, 400, 'bad_request');
    for (const field of endpoint.required) expect(namedFields(response)).toContain(field);
  });

  it('names every field of the wrong type', async () => {
    const response = await call(endpoint, {
      body: { ...endpoint.valid(), ...endpoint.wrongTypes },
    });
    expectError(response, 400, 'bad_request');
    const paths = detailsOf(response).map((d) => d.split(':')[0]);
    for (const field of Object.keys(endpoint.wrongTypes)) expect(paths).toContain(field);
  });

  it('rejects unknown fields, at the top and nested', async () => {
    const top = await call(endpoint, { body: { ...endpoint.valid(), unexpected: 1 } });
    expectError(top, 400, 'bad_request');
    expect(namedFields(top)).toContain('unexpected');
    const objectField = Object.entries(endpoint.valid()).find(
      ([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v),
    );
    if (objectField) {
      const deep = await call(endpoint, {
        body: withField(endpoint.valid(), `${objectField[0]}.sneaky`, true),
      });
      expectError(deep, 400, 'bad_request');
      expect(namedFields(deep)).toContain(objectField[0]);
      expect(namedFields(deep)).toContain('sneaky');
    }
  });

  it('refuses other content types', async () => {
    const text = JSON.stringify({ ...endpoint.valid(), unexpected: 1 });
    for (const type of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      'application/octet-stream',
      'application/jsonx',
      '',
    ]) {
      expectError(
        await call(endpoint, { rawBody: text, headers: { 'content-type': type } }),
        '4xx',
      );
    }
  });

  it('answers bodies over 1 MiB with 413 and one of exactly 1 MiB with a 400', async () => {
    const padded = (bytes: number) => {
      const head = '{"padding":"';
      return `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
    };
    expect(Buffer.byteLength(padded(BODY_MAX_BYTES))).toBe(BODY_MAX_BYTES);
    expectError(
      await call(endpoint, { rawBody: padded(BODY_MAX_BYTES + 1) }),
      413,
      'payload_too_large',
    );
    expectError(
      await call(endpoint, { rawBody: padded(4 * BODY_MAX_BYTES) }),
      413,
      'payload_too_large',
    );
    expectError(
      await call(endpoint, {
        rawBody: padded(BODY_MAX_BYTES + 1),
        headers: { 'content-type': 'text/plain' },
      }),
      413,
      'payload_too_large',
    );
    expectError(await call(endpoint, { rawBody: padded(BODY_MAX_BYTES) }), 400, 'bad_request');
  });

  it('refuses prototype-pollution bodies without effect', async () => {
    const valid = JSON.stringify(endpoint.valid()).slice(1, -1);
    const bodies = [
      `{"__proto__":{"polluted":true},${valid}}`,
      `{${valid},"__proto__":{"role":"admin","polluted":true}}`,
      `{"constructor":{"prototype":{"polluted":true}},${valid}}`,
      `{${valid},"constructor":"x"}`,
      `{${valid},"prototype":{"polluted":true}}`,
      `{"a":{"b":{"__proto__":{"polluted":true}}},${valid}}`,
    ];
    const objectField = Object.keys(endpoint.valid()).find((k) => {
      const v = endpoint.valid()[k];
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
    if (objectField) {
      bodies.push(
        JSON.stringify(endpoint.valid()).replace(
          `"${objectField}":{`,
          `"${objectField}":{"__proto__":{"polluted":true},`,
        ),
      );
    }
    for (const rawBody of bodies)
      expectError(await call(endpoint, { rawBody }), 400, 'bad_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('role');
  });

  it('refuses 200 KB strings, NUL bytes and lone surrogates in fields and keys', async () => {
    const huge = 'é'.repeat(100_000); // 200 KB of UTF-8
    for (const field of endpoint.strings) {
      expectError(
        await call(endpoint, {
          body: withField({ ...endpoint.valid(), unexpected: 1 }, field, huge),
        }),
        400,
      );
      expectError(await call(endpoint, { body: withField(endpoint.valid(), field, huge) }), '4xx');
    }
    expectError(
      await call(endpoint, { body: { ...endpoint.valid(), [huge]: 1 } }),
      400,
      'bad_request',
    );
    const hostile = {
      ...endpoint.valid(),
      'k\u0000': '\u0000\ud800\u202e😀',
      unexpected: '\udfff',
    };
    expectError(await call(endpoint, { body: hostile }), 400, 'bad_request');
  });

  it('refuses objects nested 1000 and 100 000 levels deep', async () => {
    for (const depth of [1000, 100_000]) {
      expectError(await call(endpoint, { rawBody: nested(depth) }), 400, 'bad_request');
      const valid = JSON.stringify(endpoint.valid()).slice(1, -1);
      expectError(
        await call(endpoint, { rawBody: `{${valid},"deep":${nested(depth)}}` }),
        400,
        'bad_request',
      );
    }
    expectError(
      await call(endpoint, { rawBody: `${'['.repeat(200_000)}${']'.repeat(200_000)}` }),
      400,
    );
  });

  it('wrote nothing for any of the rejected requests above', async () => {
    await expectUnchangedSince(before);
  });
});

describe('authentication comes before everything else on protected endpoints', () => {
  it('answers 401 to a missing, malformed or forged token, whatever the body', async () => {
    await expectNoWrites(async () => {
      for (const endpoint of BODY_ENDPOINTS.filter((e) => e.auth)) {
        for (const authorization of [
          '',
          'Bearer',
          'Bearer x',
          `Basic ${admin.token}`,
          `Bearer ${admin.token}x`,
          'Bearer \u00e9',
        ]) {
          const headers: Record<string, string> = authorization ? { authorization } : {};
          const response = await api(endpoint.method, endpoint.path(), {
            body: endpoint.valid(),
            headers,
            clientId: pushClientId,
          });
          expectError(response, 401, 'unauthorized');
        }
      }
    });
  });
});

describe('push envelope', () => {
  const send = (
    body: unknown,
    clientId: string = pushClientId,
    headers: Record<string, string> = {},
  ) => api('POST', '/api/v1/sync/push', { token: admin.token, clientId, body, headers });
  const noop = (id: unknown, extra: Record<string, unknown> = {}) => ({
    id,
    name: 'noop',
    args: {},
    ...extra,
  });

  it('answers 400 naming the bad member for every malformed envelope', async () => {
    await expectNoWrites(async () => {
      const cases: Array<[unknown, string]> = [
        [{ clientId: pushClientId, mutations: 'all' }, 'mutations'],
        [{ clientId: pushClientId, mutations: [noop(1.5)] }, 'mutations.0.id'],
        [{ clientId: pushClientId, mutations: [noop('1')] }, 'mutations.0.id'],
        [{ clientId: pushClientId, mutations: [noop(0)] }, 'mutations.0.id'],
        [{ clientId: pushClientId, mutations: [noop(-1)] }, 'mutations.0.id'],
        [{ clientId: pushClientId, mutations: [noop(2 ** 53)] }, 'mutations.0.id'],
        [{ clientId: pushClientId, mutations: [{ id: 1, name: 7, args: {} }] }, 'mutations.0.name'],
        [
          { clientId: pushClientId, mutations: [{ id: 1, name: '', args: {} }] },
          'mutations.0.name',
        ],
        [
          { clientId: pushClientId, mutations: [{ id: 1, name: 'x'.repeat(101), args: {} }] },
          'mutations.0.name',
        ],
        [
          { clientId: pushClientId, mutations: [{ id: 1, name: 'noop', args: null }] },
          'mutations.0.args',
        ],
        [
          { clientId: pushClientId, mutations: [{ id: 1, name: 'noop', args: [] }] },
          'mutations.0.args',
        ],
        [{ clientId: pushClientId, mutations: [{ id: 1, name: 'noop' }] }, 'mutations.0.args'],
        [{ clientId: pushClientId, mutations: [noop(1, { base: 'x' })] }, 'mutations.0.base'],
        [{ clientId: pushClientId, mutations: [noop(1, { sentAt: 'now' })] }, 'mutations.0.sentAt'],
        [{ clientId: pushClientId, mutations: [noop(1), noop(3)] }, 'mutations.1.id'],
        [{ clientId: pushClientId, mutations: [noop(2), noop(1)] }, 'mutations.1.id'],
        [
          {
            clientId: pushClientId,
            mutations: Array.from({ length: 1001 }, (_, i) => noop(i + 1)),
          },
          'mutations',
        ],
        [{ clientId: 'not-a-uuid', mutations: [] }, 'clientId'],
        [{ clientId: randomUUID(), mutations: [noop(1)] }, 'clientId'],
      ];
      for (const [body, path] of cases) {
        const response = await send(body);
        expectError(response, 400, 'bad_request');
        const details = (response.body as { error: { details?: FieldIssue[] } }).error.details;
        expect(namesField(details, path), `${path} in ${JSON.stringify(details)}`).toBe(true);
      }
    });
  });

  it('needs a UUID in X-Client-Id', async () => {
    await expectNoWrites(async () => {
      const body = { clientId: pushClientId, mutations: [noop(1)] };
      expectError(
        await api('POST', '/api/v1/sync/push', { token: admin.token, body }),
        400,
        'bad_request',
      );
      for (const header of [
        'x',
        `${pushClientId}x`,
        `${pushClientId},${pushClientId}`,
        '0'.repeat(36),
      ]) {
        expectError(await send(body, '', { 'x-client-id': header }), 400, 'bad_request');
      }
    });
  });

  it('answers a bad mutation for itself: unknown or Object.prototype names, bad args, over 256 KiB', async () => {
    const session = new SyncSession(t.api, admin.tokens, randomUUID());
    const records = await recordsState();
    const response = await session.send(
      { name: '__proto__', args: {} },
      { name: 'constructor', args: {} },
      { name: 'toString', args: {} },
      { name: 'hasOwnProperty', args: {} },
      { name: 'dropAllTables', args: {} },
      { name: 'createContact', args: { id: randomUUID(), name: 'X', unexpected: true } },
      { name: 'createContact', args: { id: randomUUID(), name: 'x'.repeat(300 * 1024) } },
      { name: 'noop', args: { padding: 'x'.repeat(300 * 1024) } },
      { name: 'noop', args: {}, base: { deep: JSON.parse(nested(1000)) } },
    );
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toMatch(UUID);
    const codes = response.body.results.map((r) =>
      r.status === 'rejected' ? r.error.code : r.status,
    );
    expect(codes).toEqual([
      'bad_request',
      'bad_request',
      'bad_request',
      'bad_request',
      'bad_request',
      'bad_request',
      'payload_too_large',
      'payload_too_large',
      'applied',
    ]);
    expect(response.body.lastMutationId).toBe(9);
    const unknownArgs = response.body.results[5]!;
    expect(
      unknownArgs.status === 'rejected' && namesField(unknownArgs.error.details, 'unexpected'),
    ).toBe(true);
    expect(await recordsState()).toEqual(records);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers args nested 1000 levels deep for that mutation alone', async () => {
    const session = new SyncSession(t.api, admin.tokens, randomUUID());
    const response = await api('POST', '/api/v1/sync/push', {
      token: admin.token,
      clientId: session.clientId,
      rawBody: `{"clientId":"${session.clientId}","mutations":[{"id":1,"name":"noop","args":{"x":${nested(1000)}}},{"id":2,"name":"noop","args":{}}]}`,
    });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual([
      'rejected',
      'applied',
    ]);
  });

  it('answers args nested 10 000 levels deep (well under 1 MiB) for that mutation alone, not with a 500', async () => {
    const session = new SyncSession(t.api, admin.tokens, randomUUID());
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const response = await api('POST', '/api/v1/sync/push', {
      token: admin.token,
      clientId: session.clientId,
      rawBody: `{"clientId":"${session.clientId}","mutations":[{"id":1,"name":"noop","args":{"x":${deep}}},{"id":2,"name":"noop","args":{}}]}`,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual([
      'rejected',
      'applied',
    ]);
  });
});

describe('query strings', () => {
  const get = (path: string, options: CallOptions = {}) =>
    api('GET', path, { token: admin.token, clientId: pushClientId, ...options });

  it('pull: answers bad limits, cursors, unknown members and client ids with 400 naming them', async () => {
    await expectNoWrites(async () => {
      const cases: Array<[string, string]> = [
        ['limit=0', 'limit'],
        ['limit=5001', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=1.5', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=', 'limit'],
        ['limit=1&limit=2', 'limit'],
        ['cursor=', 'cursor'],
        ['cursor=0&cursor=0', 'cursor'],
        [`cursor=${'c'.repeat(201)}`, 'cursor'],
        ['cursor=c1.x.0.1.2.3', 'cursor'],
        ['cursor=%00', 'cursor'],
        ['cursor=c1.%F0%9F%98%80.0.1', 'cursor'],
        ['since=0', 'since'],
        ['__proto__=1', '__proto__'],
        ['constructor=1&cursor=0', 'constructor'],
      ];
      for (const [query, field] of cases) {
        const response = await get(`/api/v1/sync/pull?${query}`);
        expectError(response, 400, 'bad_request');
        expect(namedFields(response), query).toContain(field);
      }
      expectError(await get('/api/v1/sync/pull', { clientId: '' }), 400, 'bad_request');
      expectError(await get('/api/v1/sync/pull', { clientId: 'not-a-uuid' }), 400, 'bad_request');
      expectError(
        await get('/api/v1/sync/pull', { clientId: `${pushClientId}x` }),
        400,
        'bad_request',
      );
    });
  });

  it('stats: answers bad days and unknown members with 400 naming them', async () => {
    await expectNoWrites(async () => {
      for (const [query, field] of [
        ['days=0', 'days'],
        ['days=367', 'days'],
        ['days=1.5', 'days'],
        ['days=abc', 'days'],
        ['days=1&days=2', 'days'],
        ['days=1e400', 'days'],
        ['from=2020-01-01', 'from'],
        ['__proto__[x]=1', '__proto__'],
      ]) {
        const response = await get(`/api/v1/admin/stats?${query}`);
        expectError(response, 400, 'bad_request');
        expect(namedFields(response), query).toContain(field!);
      }
    });
  });

  it('events: answers a missing or bad token with 401', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${admin.token}.x` },
    ]) {
      const response = await api('GET', '/api/v1/sync/events', { headers });
      expectError(response, 401, 'unauthorized');
    }
    const stream = await rawHttps('/api/v1/sync/events', {
      authorization: `Bearer ${admin.token}`,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers['x-request-id']).toMatch(UUID);
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
  });

  it('events: rejects unknown query members with 400, like pull and stats do', async () => {
    const response = await rawHttps('/api/v1/sync/events?since=0', {
      authorization: `Bearer ${admin.token}`,
    });
    expect(response.status).toBe(400);
    expect(response.headers['x-request-id']).toMatch(UUID);
  });
});

describe('routing and transport', () => {
  it('answers unknown routes and methods with the 404 not_found envelope', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/api/v1/nope'],
      ['POST', '/api/v2/sync/push'],
      ['GET', '/api/v1/auth/login'],
      ['DELETE', '/api/v1/admin/users'],
      ['PUT', '/api/v1/admin/users/' + randomUUID()],
      ['POST', '/api/v1/sync/events'],
      ['GET', '/api/v1/sync/pull/extra'],
      ['GET', '/API/V1/HEALTH/../../etc/passwd'],
    ] as const) {
      expectError(await api(method, path, { token: admin.token }), 404, 'not_found');
    }
  });

  it('answers malformed URLs and over-long ids in the envelope, with a request id', async () => {
    for (const path of ['/api/v1/%', '/api/v1/admin/users/%E0%A4%A', '/api/v1/admin/users/%zz']) {
      expectError(await api('PATCH', path, { token: admin.token, body: { active: true } }), '4xx');
    }
    const long = await api('PATCH', `/api/v1/admin/users/${'a'.repeat(500)}`, {
      token: admin.token,
      body: { active: true },
    });
    expectError(long, '4xx');
  });

  it('answers malformed HTTP and oversized headers in the envelope, with a request id', async () => {
    for (const payload of [
      'GARBAGE\r\n\r\n',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Junk: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]) {
      const response = parseRawResponse(await rawTls(payload));
      expect(response.status, payload.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['x-request-id'], payload.slice(0, 40)).toMatch(UUID);
      expect(ErrorEnvelope.safeParse(response.body).success, JSON.stringify(response.body)).toBe(
        true,
      );
    }
    const big = await api('GET', '/api/v1/admin/stats', {
      token: admin.token,
      headers: { 'x-junk': 'a'.repeat(20_000) },
    });
    expectError(big, '4xx');
  });

  it('refuses plain HTTP on the HTTPS port', async () => {
    const outcome = await new Promise<number | 'failed'>((resolve) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: t.server.port, path: '/api/v1/health', agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => resolve('failed'));
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    if (outcome !== 'failed') {
      expect(outcome).toBeGreaterThanOrEqual(300);
    }
    // and HTTPS on the same port works
    expect((await api('GET', '/api/v1/health')).status).toBe(200);
  });

  it('sends a distinct X-Request-Id with successes and errors alike', async () => {
    const responses = [
      await api('GET', '/api/v1/health'),
      await admin.pull('0', 1),
      await api('GET', '/api/v1/admin/stats', { token: admin.token }),
      await api('POST', '/api/v1/auth/login', { body: {} }),
      await api('GET', '/nope'),
      await api('POST', '/api/v1/auth/logout', { body: { refreshToken: 'unknown' } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 400, 404, 204]);
    const ids = responses.map((r) => r.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('hostile strings that are valid input', () => {
  const strings = [
    '\u202eevil\u202c rtl',
    'مرحبا بالعالم',
    '👩‍💻🚀 emoji zwj',
    'e\u0301\u0301\u0301 combining',
    '\ufeffbom \u200b zero width',
  ];

  it('stores contact names and comment bodies exactly, RTL, emoji and zero-width included', async () => {
    const session = new SyncSession(t.api, admin.tokens, randomUUID());
    const before = (await session.pullAll('0', 5000)).at(-1)!.cursor;
    const ticketId = randomUUID();
    const contactIds = strings.map(() => randomUUID());
    const commentIds = strings.map(() => randomUUID());
    const response = await session.send(
      ...strings.map((name, i) => ({ name: 'createContact', args: { id: contactIds[i], name } })),
      {
        name: 'createTicket',
        args: {
          id: ticketId,
          subject: strings[3]!,
          description: strings.join('\n'),
          requesterId: contactIds[0]!,
        },
      },
      ...strings.map((body, i) => ({
        name: 'addComment',
        args: { id: commentIds[i], ticketId, body, public: true },
      })),
    );
    expect(response.status).toBe(200);
    expect(response.body.results.every((r) => r.status === 'applied')).toBe(true);
    const changes = (await session.pullAll(before, 5000)).flatMap((p) => p.changes);
    const data = (id: string) =>
      (changes.find((c) => c.id === id && c.op === 'upsert') as { data: Record<string, unknown> })
        .data;
    strings.forEach((s, i) => {
      // Names are trimmed; nothing else may change.
      expect(data(contactIds[i]!).name).toBe(s.trim());
      expect(data(commentIds[i]!).body).toBe(s.trim());
    });
    expect(data(ticketId).description).toBe(strings.join('\n'));
  });

  it('accepts RTL and emoji in a sign-up and gives them back unchanged at log-in', async () => {
    const name = `\u202eشركة 😀 ${randomUUID().slice(0, 8)} Co`;
    const signup = await api('POST', '/api/v1/auth/signup', {
      body: {
        company: { name },
        user: {
          name: '👩‍💻 Zoë \u202e',
          email: 'zoe@rtl.test',
          password: 'long-password-1',
          title: 'מנהלת',
        },
        seats: 2,
      },
    });
    expect(signup.status).toBe(201);
    expect(signup.body.tenant.slug).toMatch(/^[a-z0-9-]+$/);
    const login = await t.api.login(signup.body.tenant.slug, 'zoe@rtl.test', 'long-password-1');
    expect(login.tenant.name).toBe(name);
    expect(login.user.name).toBe('👩‍💻 Zoë \u202e'.trim());
  });
});

describe('text that is not protocol text: NUL and unpaired surrogates', () => {
  const refused = ['nul\u0000byte', 'lone \ud800 high', 'lone \udfff low', '\udfff\ud800 reversed'];

  it('rejects a mutation that holds one, alone, naming the field, and stores nothing of it', async () => {
    const session = new SyncSession(t.api, admin.tokens, randomUUID());
    const before = (await session.pullAll('0', 5000)).at(-1)!.cursor;
    const ids = refused.map(() => randomUUID());
    const fine = randomUUID();
    const response = await session.send(
      ...refused.map((name, i) => ({ name: 'createContact', args: { id: ids[i], name } })),
      { name: 'createContact', args: { id: fine, name: 'Plain Name' } },
    );
    expect(response.status).toBe(200);
    const results = response.body.results;
    expect(results.map((r) => r.status)).toEqual([...refused.map(() => 'rejected'), 'applied']);
    for (const result of results.slice(0, refused.length)) {
      expect(result.status === 'rejected' && result.error.code).toBe('bad_request');
      expect(result.status === 'rejected' && result.error.details).toEqual([
        { path: 'name', message: expect.stringMatching(/NUL|Unicode/) },
      ]);
    }
    const changed = (await session.pullAll(before, 5000)).flatMap((p) => p.changes);
    expect(changed.map((c) => c.id)).toEqual([fine]);
  });

  it('refuses one in a sign-up with 400 naming the field, and creates no tenant', async () => {
    await expectNoWrites(async () => {
      for (const [i, text] of refused.entries()) {
        const response = await api('POST', '/api/v1/auth/signup', {
          body: {
            company: { name: `Refused ${i} ${text}` },
            user: { name: 'Refused', email: `refused${i}@text.test`, password: 'long-password-1' },
            seats: 2,
          },
        });
        expectError(response, 400, 'bad_request');
        expect(detailsOf(response)).toEqual([expect.stringMatching(/^company\.name: /)]);
      }
    });
  });

  it('refuses one in a log-in, a query and a path with 400, never a 5xx', async () => {
    await expectNoWrites(async () => {
      for (const text of refused) {
        const encoded = percentEncode(text);
        const login = await api('POST', '/api/v1/auth/login', {
          body: { tenant: `acme${text}`, email: 'admin@globex.test', password: 'long-password-1' },
        });
        expectError(login, 400, 'bad_request');
        expect(namedFields(login)).toContain('tenant');
        expectError(
          await api('GET', `/api/v1/account/logins?scope=${encoded}`, { token: admin.token }),
          400,
          'bad_request',
        );
        expectError(
          await api('PATCH', `/api/v1/admin/users/${encoded}`, {
            token: admin.token,
            body: { role: 'agent' },
          }),
          '4xx',
        );
      }
    });
  });
});

describe('bytes that are not UTF-8', () => {
  it('answers invalid UTF-8 in a body without a 5xx', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"tenant":"globex","email":"admin@globex.test","password":"'),
      Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    const response = await api('POST', '/api/v1/auth/login', { rawBody: bytes });
    expectError(response, 401, 'unauthorized');
  });
});

// ---------------------------------------------------------------------------------------------

describe('fuzz: random JSON bodies never cause a 5xx', () => {
  const RUNS = 200;
  const jsonBody = (keys: string[]) =>
    fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.string({ maxLength: 40 }),
      fc
        .dictionary(
          fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })),
          fc.jsonValue({ maxDepth: 3 }),
          {
            maxKeys: keys.length + 2,
          },
        )
        .map((v) => JSON.stringify(v)),
    );

  async function check<T>(
    arbitrary: fc.Arbitrary<T>,
    send: (value: T) => Promise<ApiResponse>,
  ): Promise<void> {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        const response = await send(value);
        expect(response.status).toBeLessThan(500);
        expect(response.headers['x-request-id']).toMatch(UUID);
        if (response.status >= 400)
          expect(ErrorEnvelope.safeParse(response.body).success).toBe(true);
      }),
      {
        numRuns: RUNS,
        interruptAfterTimeLimit: 2500,
        markInterruptAsFailure: false,
        seed: 20_240_601,
      },
    );
  }

  const KEYS: Record<string, string[]> = {
    signup: ['company', 'user', 'seats', 'newsletter', 'name', 'email', 'password'],
    login: ['tenant', 'email', 'password', 'clientId'],
    refresh: ['refreshToken', 'clientId'],
    logout: ['refreshToken'],
    'set-password': ['tenant', 'email', 'setupToken', 'newPassword'],
    'admin users POST': ['name', 'email', 'role', 'password'],
    'admin users PATCH': ['role', 'active'],
    push: ['clientId', 'mutations'],
  };

  it.each(BODY_ENDPOINTS.map((e) => [e.name, e] as const))('%s', async (_name, endpoint) => {
    await check(jsonBody(KEYS[endpoint.name]!), (rawBody) => call(endpoint, { rawBody }));
  });

  it('push with valid envelopes and random mutations', async () => {
    const argKeys = [
      'id',
      'ticketId',
      'fields',
      'tags',
      'name',
      'subject',
      'body',
      'public',
      'status',
      'requesterId',
    ];
    const mutation = fc.record(
      {
        id: fc.oneof(fc.constant(1), fc.integer(), fc.jsonValue()),
        name: fc.oneof(fc.constantFrom(...MUTATION_NAMES), fc.string({ maxLength: 10 })),
        args: fc.oneof(
          fc.dictionary(fc.constantFrom(...argKeys), fc.jsonValue({ maxDepth: 2 })),
          fc.jsonValue(),
        ),
        base: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: ['id', 'name', 'args'] },
    );
    await check(fc.array(mutation, { maxLength: 3 }), (mutations) => {
      const clientId = randomUUID();
      return api('POST', '/api/v1/sync/push', {
        token: admin.token,
        clientId,
        body: { clientId, mutations },
      });
    });
  });

  const headerSafe = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 60,
  });
  const query = fc
    .dictionary(
      fc.oneof(fc.constantFrom('cursor', 'limit', 'days'), fc.string({ maxLength: 6 })),
      fc.oneof(
        fc.constantFrom('0', '1', '5000', '-1', '1e3', 'abc', 'c1.x.0.1'),
        fc.string({ maxLength: 12 }),
      ),
      { maxKeys: 3 },
    )
    .map((q) => new URLSearchParams(q).toString());

  it('pull with random queries and client ids', async () => {
    await check(fc.tuple(query, fc.oneof(fc.uuid(), headerSafe)), ([q, clientId]) =>
      api('GET', `/api/v1/sync/pull?${q}`, {
        token: admin.token,
        headers: { 'x-client-id': clientId },
      }),
    );
  });

  it('stats with random queries', async () => {
    await check(query, (q) => api('GET', `/api/v1/admin/stats?${q}`, { token: admin.token }));
  });

  it('events with random tokens and queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        query,
        fc.oneof(
          headerSafe,
          headerSafe.map((s) => `Bearer ${s}`),
        ),
        async (q, authorization) => {
          const response = await rawHttps(`/api/v1/sync/events?${q}`, { authorization });
          expect(response.status).toBeLessThan(500);
          expect(response.headers['x-request-id']).toMatch(UUID);
        },
      ),
      {
        numRuns: RUNS,
        interruptAfterTimeLimit: 2500,
        markInterruptAsFailure: false,
        seed: 20_240_601,
      },
    );
  });
});
