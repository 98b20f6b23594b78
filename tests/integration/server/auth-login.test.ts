import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginEvent } from '../../../src-shared/domain/entities';
import type { ApiResponse } from '../../support/api-client';
import { startTestServer, type TestServer } from '../../support/test-server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEMO_PASSWORD = 'demo-password-1';

let t: TestServer;
let acmeId: string;
let adminToken: string;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  acmeId = (await t.server.storage.getTenantBySlug('acme'))!.id;
  adminToken = (await t.api.login('acme', 'admin@acme.test')).accessToken;
});
afterAll(() => t?.close());

function login(
  api: TestServer['api'],
  body: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<ApiResponse> {
  return api.call('POST', '/api/v1/auth/login', { body, ...(headers ? { headers } : {}) });
}

function expectRateLimited(response: ApiResponse): void {
  expect(response.status).toBe(429);
  expect(response.body.error.code).toBe('rate_limited');
  expect(typeof response.body.error.message).toBe('string');
  const retryAfter = response.headers['retry-after'];
  expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(Number(retryAfter)).toBeLessThanOrEqual(900);
  // The failures were made seconds ago: the window has nearly all of its 15 minutes left.
  expect(Number(retryAfter)).toBeGreaterThan(800);
  expect(response.body).not.toHaveProperty('accessToken');
}

/** An agent of acme made for one test, so that disabling or locking it disturbs no other test. */
async function newAgent(label: string): Promise<{ id: string; email: string; password: string }> {
  const email = `${label}-${randomUUID().slice(0, 8)}@acme.test`;
  const password = `${label}-password-1`;
  const response = await t.api.call('POST', '/api/v1/admin/users', {
    token: adminToken,
    body: { name: `Agent ${label}`, email, role: 'agent', password },
  });
  expect(response.status).toBe(201);
  return { id: response.body.user.id, email, password };
}

describe('POST /api/v1/auth/login', () => {
  it('answers 200 with {accessToken, expiresIn, refreshToken, user, tenant, epoch} and nothing else', async () => {
    const response = await login(t.api, {
      tenant: 'acme',
      email: 'agent1@acme.test',
      password: DEMO_PASSWORD,
      clientId: randomUUID(),
    });
    expect(response.status).toBe(200);
    const body = response.body;
    expect(Object.keys(body).sort()).toEqual([
      'accessToken',
      'epoch',
      'expiresIn',
      'refreshToken',
      'tenant',
      'user',
    ]);
    expect(body).toEqual({
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
      refreshToken: expect.any(String),
      user: {
        id: expect.stringMatching(UUID),
        name: 'Agent 1',
        email: 'agent1@acme.test',
        role: 'agent',
      },
      tenant: { id: acmeId, slug: 'acme', name: 'Acme Field Services' },
      epoch: expect.any(String),
    });
    expect(Object.keys(body.user).sort()).toEqual(['email', 'id', 'name', 'role']);
    expect(Object.keys(body.tenant).sort()).toEqual(['id', 'name', 'slug']);
    expect(Number.isInteger(body.expiresIn)).toBe(true);
    expect(body.expiresIn).toBeGreaterThanOrEqual(895);
    expect(body.expiresIn).toBeLessThanOrEqual(900);
    expect(body.accessToken.length).toBeGreaterThan(20);
    expect(body.refreshToken.length).toBeGreaterThan(20);
    expect(body.accessToken).not.toBe(body.refreshToken);
    expect(body.epoch.length).toBeGreaterThan(0);

    // The access token works, and the epoch is the one pulls report.
    const pull = await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=1', {
      token: body.accessToken,
      clientId: randomUUID(),
    });
    expect(pull.status).toBe(200);
    expect(pull.body.epoch).toBe(body.epoch);
  });

  it('gives each log-in its own tokens, and an admin the admin role', async () => {
    const a = await t.api.login('acme', 'admin@acme.test');
    const b = await t.api.login('acme', 'admin@acme.test');
    expect(a.user.role).toBe('admin');
    expect(a.accessToken).not.toBe(b.accessToken);
    expect(a.refreshToken).not.toBe(b.refreshToken);
    const g = await t.api.login('globex', 'admin@globex.test');
    expect(g.tenant).toMatchObject({ slug: 'globex', name: 'Globex Corporation' });
    expect(g.tenant.id).not.toBe(acmeId);
    expect(g.epoch).not.toBe(a.epoch);
  });

  it('compares the email and tenant slug without case', async () => {
    const response = await login(t.api, {
      tenant: 'ACME',
      email: 'Agent2@ACME.test',
      password: DEMO_PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(response.body.user.email).toBe('agent2@acme.test');
    expect(response.body.tenant.slug).toBe('acme');
  });

  it('gives the same 401 for a wrong password, an unknown email, an unknown tenant and a foreign account', async () => {
    const attempts = [
      { tenant: 'acme', email: 'agent2@acme.test', password: 'wrong-password-1' },
      { tenant: 'acme', email: 'nobody-here@acme.test', password: DEMO_PASSWORD },
      { tenant: 'no-such-tenant', email: 'agent2@acme.test', password: DEMO_PASSWORD },
      { tenant: 'acme', email: 'admin@globex.test', password: DEMO_PASSWORD },
    ];
    const responses = [];
    for (const body of attempts) responses.push(await login(t.api, body));
    for (const r of responses) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
      expect(r.headers['retry-after']).toBeUndefined();
      expect(r.body).toEqual(responses[0]!.body);
    }
    expect(Object.keys(responses[0]!.body.error).sort()).toEqual(['code', 'message']);
    // agent2 still signs in: one failure locks nothing.
    expect(await t.api.login('acme', 'agent2@acme.test')).toMatchObject({
      user: { email: 'agent2@acme.test' },
    });
  });

  it.each([
    ['no password', { tenant: 'acme', email: 'agent1@acme.test' }],
    ['an empty password', { tenant: 'acme', email: 'agent1@acme.test', password: '' }],
    ['no tenant', { email: 'agent1@acme.test', password: DEMO_PASSWORD }],
    ['a malformed email', { tenant: 'acme', email: 'agent1', password: DEMO_PASSWORD }],
    [
      'a clientId that is not a UUID',
      { tenant: 'acme', email: 'agent1@acme.test', password: DEMO_PASSWORD, clientId: 'x' },
    ],
    [
      'an unknown field',
      { tenant: 'acme', email: 'agent1@acme.test', password: DEMO_PASSWORD, remember: true },
    ],
  ])('rejects %s with 400 bad_request', async (_label, body) => {
    const response = await login(t.api, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
    expect(Array.isArray(response.body.error.details)).toBe(true);
  });
});

describe('log-in rate limiting per account', () => {
  it('answers 429 with Retry-After after 5 failures, even for the right password, for that account only', async () => {
    const agent = await newAgent('locked');
    const attempt = (password: string, email = agent.email) =>
      login(t.api, { tenant: 'acme', email, password });

    for (let i = 0; i < 4; i++) expect((await attempt(`wrong-password-${i}`)).status).toBe(401);
    // Four failures: the right password still works (and a success does not erase the failures).
    expect((await attempt(agent.password)).status).toBe(200);
    expect((await attempt('wrong-password-5')).status).toBe(401);

    expectRateLimited(await attempt(agent.password));
    expectRateLimited(await attempt('wrong-password-6'));
    // The same account spelt in other case is the same account.
    expectRateLimited(await attempt(agent.password, agent.email.toUpperCase()));

    // Other accounts, of this tenant and another, are not affected.
    expect((await attempt(DEMO_PASSWORD, 'agent4@acme.test')).status).toBe(200);
    expect(
      (
        await login(t.api, {
          tenant: 'globex',
          email: 'agent1@globex.test',
          password: DEMO_PASSWORD,
        })
      ).status,
    ).toBe(200);
    // The same email at another tenant is another account.
    expect(
      (await login(t.api, { tenant: 'globex', email: agent.email, password: agent.password })).body
        .error.code,
    ).toBe('unauthorized');

    // A locked-out account's attempts are recorded as rate limited, the correct password included.
    const events = (await t.server.storage.listLoginEvents(acmeId, null, 500)).filter(
      (e) => e.email === agent.email,
    );
    expect(events.filter((e) => e.reason === 'bad_credentials')).toHaveLength(5);
    expect(events.filter((e) => e.reason === 'ok')).toHaveLength(1);
    expect(events.filter((e) => e.reason === 'rate_limited')).toHaveLength(3);
    expect(events.filter((e) => e.reason === 'rate_limited').every((e) => !e.success)).toBe(true);
  });

  it('does not let a burst of concurrent attempts try more than 5 passwords', async () => {
    const agent = await newAgent('burst');
    const responses = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        login(t.api, { tenant: 'acme', email: agent.email, password: `guess-number-${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // At most 5 passwords were actually checked; every other attempt was refused unchecked.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    for (const r of responses.filter((x) => x.status === 429))
      expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    const events = (await t.server.storage.listLoginEvents(acmeId, null, 500)).filter(
      (e) => e.email === agent.email,
    );
    expect(events.filter((e) => e.reason === 'bad_credentials').length).toBeLessThanOrEqual(5);
    expect(events).toHaveLength(15);
  });

  it('limits unknown accounts too (known or not)', async () => {
    const email = `ghost-${randomUUID().slice(0, 8)}@acme.test`;
    for (let i = 0; i < 5; i++) {
      const r = await login(t.api, { tenant: 'acme', email, password: DEMO_PASSWORD });
      expect(r.status).toBe(401);
    }
    expectRateLimited(await login(t.api, { tenant: 'acme', email, password: DEMO_PASSWORD }));
  });
});

describe('log-in history', () => {
  it('records every attempt with its time, IP, user agent, client id and result', async () => {
    const agent = await newAgent('history');
    const userAgent = `helpdesk-tests/1.0 (history ${randomUUID()})`;
    const clientId = randomUUID();
    const start = Date.now();
    const ok = await login(
      t.api,
      { tenant: 'acme', email: agent.email, password: agent.password, clientId },
      {
        'user-agent': userAgent,
      },
    );
    expect(ok.status).toBe(200);
    const bad = await login(
      t.api,
      { tenant: 'acme', email: agent.email, password: 'not-the-password' },
      {
        'user-agent': userAgent,
        // A client cannot choose the address that is recorded.
        'x-forwarded-for': '203.0.113.9',
      },
    );
    expect(bad.status).toBe(401);
    const end = Date.now();

    const events: LoginEvent[] = await t.server.storage.listLoginEvents(acmeId, agent.id, 10);
    expect(events).toHaveLength(2);
    const [newest, oldest] = events as [LoginEvent, LoginEvent];
    expect(oldest).toMatchObject({
      email: agent.email,
      userId: agent.id,
      ip: '127.0.0.1',
      userAgent,
      clientId,
      success: true,
      reason: 'ok',
    });
    expect(newest).toMatchObject({
      email: agent.email,
      userId: agent.id,
      ip: '127.0.0.1',
      userAgent,
      clientId: null,
      success: false,
      reason: 'bad_credentials',
    });
    for (const e of events) {
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(start - 1000);
      expect(Date.parse(e.at)).toBeLessThanOrEqual(end + 1000);
    }
    expect(Date.parse(newest.at)).toBeGreaterThanOrEqual(Date.parse(oldest.at));
    expect(newest.id).not.toBe(oldest.id);
  });

  it('records attempts for unknown emails of a tenant, without a user', async () => {
    const email = `unknown-${randomUUID().slice(0, 8)}@acme.test`;
    const r = await login(
      t.api,
      { tenant: 'acme', email, password: 'whatever-password' },
      { 'user-agent': 'ua-unknown' },
    );
    expect(r.status).toBe(401);
    const events = (await t.server.storage.listLoginEvents(acmeId, null, 500)).filter(
      (e) => e.email === email,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      userId: null,
      ip: '127.0.0.1',
      userAgent: 'ua-unknown',
      success: false,
    });
  });

  it('records each of several log-ins, one event per attempt', async () => {
    const agent = await newAgent('count');
    const before = (await t.server.storage.listLoginEvents(acmeId, agent.id, 100)).length;
    await t.api.login('acme', agent.email, agent.password);
    await login(t.api, { tenant: 'acme', email: agent.email, password: 'wrong-password' });
    await t.api.login('acme', agent.email, agent.password);
    const events = await t.server.storage.listLoginEvents(acmeId, agent.id, 100);
    expect(events.length - before).toBe(3);
    expect(events.map((e) => e.success)).toEqual([true, false, true]);
  });
});

describe('deactivated accounts', () => {
  it('answers 401 account_disabled at log-in, on every call with an old token, and at refresh', async () => {
    const agent = await newAgent('disabled');
    const tokens = await t.api.login('acme', agent.email, agent.password);
    const clientId = randomUUID();
    const firstPull = await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=5', {
      token: tokens.accessToken,
      clientId,
    });
    expect(firstPull.status).toBe(200);

    const patch = await t.api.call('PATCH', `/api/v1/admin/users/${agent.id}`, {
      token: adminToken,
      body: { active: false },
    });
    expect(patch.status).toBe(200);
    expect(patch.body.user).toMatchObject({ id: agent.id, active: false, role: 'agent' });

    const disabled = (r: ApiResponse) => {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('account_disabled');
    };
    disabled(await login(t.api, { tenant: 'acme', email: agent.email, password: agent.password }));
    disabled(
      await t.api.call('GET', '/api/v1/sync/pull?cursor=0', {
        token: tokens.accessToken,
        clientId,
      }),
    );
    disabled(
      await t.api.call(
        'GET',
        `/api/v1/sync/pull?cursor=${encodeURIComponent(firstPull.body.cursor)}`,
        {
          token: tokens.accessToken,
          clientId,
        },
      ),
    );
    disabled(
      await t.api.call('POST', '/api/v1/sync/push', {
        token: tokens.accessToken,
        clientId,
        body: { clientId, mutations: [{ id: 1, name: 'noop', args: {} }] },
      }),
    );
    disabled(await t.api.call('GET', '/api/v1/sync/events', { token: tokens.accessToken }));
    disabled(await t.api.call('GET', '/api/v1/admin/stats', { token: tokens.accessToken }));
    disabled(
      await t.api.call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: tokens.refreshToken, clientId: randomUUID() },
      }),
    );
    // The disabled attempt is in the history, and nothing was pushed.
    const events = await t.server.storage.listLoginEvents(acmeId, agent.id, 10);
    expect(events[0]).toMatchObject({ reason: 'account_disabled', success: false });

    // Reactivated, the user signs in again, but the old sessions stay revoked.
    const reactivate = await t.api.call('PATCH', `/api/v1/admin/users/${agent.id}`, {
      token: adminToken,
      body: { active: true },
    });
    expect(reactivate.status).toBe(200);
    expect(reactivate.body.user.active).toBe(true);
    const fresh = await t.api.login('acme', agent.email, agent.password);
    expect(
      (
        await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=1', {
          token: fresh.accessToken,
          clientId,
        })
      ).status,
    ).toBe(200);
    const old = await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=1', {
      token: tokens.accessToken,
      clientId,
    });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('unauthorized');
    const oldRefresh = await t.api.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: tokens.refreshToken, clientId: randomUUID() },
    });
    expect(oldRefresh.status).toBe(401);
    expect(oldRefresh.body.error.code).toBe('unauthorized');
    // The push made while disabled was not applied: the client's last mutation id is still 0.
    expect(
      (
        await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=1', {
          token: fresh.accessToken,
          clientId,
        })
      ).body.lastMutationId,
    ).toBe(0);
  });
});

describe('log-in rate limiting per IP address (own server)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ demo: true });
  });
  afterAll(() => s?.close());

  it('answers 429 to everyone from an address after 50 failures in the window', async () => {
    const fail = (i: number) =>
      login(s.api, { tenant: 'acme', email: `nobody${i}@acme.test`, password: 'wrong-password' });
    // 49 failures, each for a different account so that no account limit applies. Most are
    // recorded as the service records a failed log-in: each one through the API costs a password
    // verification (scrypt, about 0.2 s of CPU here), which made this test the slowest of the
    // suite on a loaded machine, on either storage, for nothing but filling the window.
    const acme = (await s.server.storage.getTenantBySlug('acme'))!;
    for (let i = 0; i < 42; i++) {
      await s.server.storage.recordLoginEvent({
        id: randomUUID(),
        at: new Date().toISOString(),
        tenantId: acme.id,
        tenantSlug: 'acme',
        email: `nobody${i}@acme.test`,
        userId: null,
        ip: '127.0.0.1',
        userAgent: null,
        clientId: null,
        success: false,
        reason: 'bad_credentials',
      });
    }
    const responses = await Promise.all(Array.from({ length: 7 }, (_, k) => fail(42 + k)));
    for (const r of responses) expect(r.status).toBe(401);
    // Below the limit a correct log-in passes (and is no failure).
    expect(
      (await login(s.api, { tenant: 'acme', email: 'agent1@acme.test', password: DEMO_PASSWORD }))
        .status,
    ).toBe(200);
    expect((await fail(49)).status).toBe(401);

    // The 50th failure: now every attempt from this address is refused, correct or not, any tenant.
    expectRateLimited(
      await login(s.api, { tenant: 'acme', email: 'agent2@acme.test', password: DEMO_PASSWORD }),
    );
    expectRateLimited(
      await login(s.api, { tenant: 'globex', email: 'admin@globex.test', password: DEMO_PASSWORD }),
    );
    expectRateLimited(await fail(50));
    // A forwarded-for header does not move the caller to another address.
    expectRateLimited(
      await login(
        s.api,
        { tenant: 'acme', email: 'agent3@acme.test', password: DEMO_PASSWORD },
        {
          'x-forwarded-for': '198.51.100.7',
        },
      ),
    );

    const events = await s.server.storage.listLoginEvents(acme.id, null, 500);
    expect(events.filter((e) => e.reason === 'bad_credentials')).toHaveLength(50);
    expect(events.filter((e) => e.reason === 'ok')).toHaveLength(1);
    expect(events.filter((e) => e.reason === 'rate_limited')).toHaveLength(3);
    expect(events.every((e) => e.ip === '127.0.0.1')).toBe(true);
  });
});
