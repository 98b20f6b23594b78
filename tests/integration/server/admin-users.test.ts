import { serviceSql } from '../../support/service-db';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LastAdminError } from '../../../src-server/storage/storage';
import { StatsResponse } from '../../../src-shared/protocol/admin';
import type { ApiResponse, SyncSession } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { startTestServer, type TestServer } from '../../support/test-server';

/** Active admins of a tenant, straight from the service's database (either storage). */
async function activeAdmins(tenantId: string): Promise<number> {
  const [row] = await serviceSql<{ n: number | string }>(
    t,
    "SELECT count(*) AS n FROM users WHERE tenant_id = ? AND role = 'admin' AND active",
    [tenantId],
  );
  return Number(row!.n);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const EMAIL_ANYWHERE = /[^\s"@]+@[^\s"@]+\.[a-z]{2,}/i;
const PASSWORD = 'admin-made-password-1';

let t: TestServer;
let adminToken: string;
let agentToken: string;
let acmeId: string;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  adminToken = (await t.api.login('acme', 'admin@acme.test')).accessToken;
  agentToken = (await t.api.login('acme', 'agent1@acme.test')).accessToken;
  acmeId = (await t.server.storage.getTenantBySlug('acme'))!.id;
});
afterAll(() => t?.close());

const unique = () => randomUUID().slice(0, 8);

function createUser(body: unknown, token = adminToken): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/admin/users', { token, body });
}

function patchUser(id: string, body: unknown, token = adminToken): Promise<ApiResponse> {
  return t.api.call('PATCH', `/api/v1/admin/users/${id}`, { token, body });
}

function stats(token: string, query = ''): Promise<ApiResponse> {
  return t.api.call('GET', `/api/v1/admin/stats${query}`, { token });
}

/** Signs up a new tenant and returns its admin's sync session. */
async function freshTenant(
  label: string,
): Promise<{ session: SyncSession; slug: string; tenantId: string }> {
  const email = `owner@${label}.test`;
  const signup = await t.api.call('POST', '/api/v1/auth/signup', {
    body: {
      company: { name: `${label} ${unique()}` },
      user: { name: 'Owner', email, password: PASSWORD },
      seats: 10,
    },
  });
  expect(signup.status).toBe(201);
  const slug: string = signup.body.tenant.slug;
  return {
    session: await t.api.session(slug, email, PASSWORD),
    slug,
    tenantId: signup.body.tenant.id,
  };
}

describe('POST /api/v1/admin/users', () => {
  it('creates a user (201 {user}) who can then sign in and is synced to the tenant', async () => {
    const email = `new.agent-${unique()}@acme.test`;
    const response = await createUser({
      name: 'New Agent',
      email,
      role: 'agent',
      password: PASSWORD,
    });
    expect(response.status).toBe(201);
    expect(Object.keys(response.body)).toEqual(['user']);
    expect(response.body.user).toEqual({
      id: expect.stringMatching(UUID),
      name: 'New Agent',
      email,
      role: 'agent',
      active: true,
    });
    expect(JSON.stringify(response.body)).not.toContain(PASSWORD);

    const login = await t.api.login('acme', email, PASSWORD);
    expect(login.user).toEqual({
      id: response.body.user.id,
      name: 'New Agent',
      email,
      role: 'agent',
    });
    expect(login.tenant.slug).toBe('acme');

    // Another agent sees the new user's public fields in a pull.
    const session = await t.api.session('acme', 'agent2@acme.test');
    const users = (await session.pullAll('0', 5000))
      .flatMap((p) => p.changes)
      .filter((c) => c.entity === 'user' && c.id === response.body.user.id);
    expect(users).toHaveLength(1);
    expect((users[0] as { data: unknown }).data).toEqual(response.body.user);
  });

  it('creates admins too', async () => {
    const email = `second.admin-${unique()}@acme.test`;
    const response = await createUser({
      name: 'Second Admin',
      email,
      role: 'admin',
      password: PASSWORD,
    });
    expect(response.status).toBe(201);
    expect(response.body.user.role).toBe('admin');
    const login = await t.api.login('acme', email, PASSWORD);
    expect((await stats(login.accessToken)).status).toBe(200);
  });

  it('answers 409 already_exists for a taken email, compared without case', async () => {
    for (const email of [
      'agent1@acme.test',
      'AGENT1@acme.test',
      'Admin@Acme.Test',
      '  agent2@acme.test ',
    ]) {
      const response = await createUser({ name: 'Dup', email, role: 'agent', password: PASSWORD });
      expectApiError(response, 409, 'already_exists');
    }
    // The original account is untouched: its password is still the demo one.
    expect((await t.api.login('acme', 'agent1@acme.test')).user.name).toBe('Agent 1');
    // The same email is free in another tenant.
    const globexAdmin = (await t.api.login('globex', 'admin@globex.test')).accessToken;
    const other = await createUser(
      { name: 'Agent One', email: 'agent1@acme.test', role: 'agent', password: PASSWORD },
      globexAdmin,
    );
    expect(other.status).toBe(201);
    expect((await t.api.login('globex', 'agent1@acme.test', PASSWORD)).tenant.slug).toBe('globex');
  });

  it('creates one user when two requests race for one email', async () => {
    const email = `racer-${unique()}@acme.test`;
    const responses = await Promise.all(
      ['Racer One', 'Racer Two'].map((name) =>
        createUser({ name, email, role: 'agent', password: PASSWORD }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = responses.find((r) => r.status === 201)!;
    expect((await t.server.storage.findUserByEmail(acmeId, email))!.id).toBe(winner.body.user.id);
  });

  it('answers 403 forbidden to an agent, and creates nothing', async () => {
    const email = `by-agent-${unique()}@acme.test`;
    expectApiError(
      await createUser({ name: 'Nope', email, role: 'admin', password: PASSWORD }, agentToken),
      403,
      'forbidden',
    );
    expect(await t.server.storage.findUserByEmail(acmeId, email)).toBeNull();
  });

  it('answers 401 without a valid token', async () => {
    const body = {
      name: 'Nope',
      email: `anon-${unique()}@acme.test`,
      role: 'agent',
      password: PASSWORD,
    };
    expectApiError(await t.api.call('POST', '/api/v1/admin/users', { body }), 401, 'unauthorized');
    expectApiError(await createUser(body, 'garbage'), 401, 'unauthorized');
  });

  it.each([
    ['no name', { email: 'x@acme.test', role: 'agent', password: PASSWORD }, 'name'],
    [
      'a blank name',
      { name: '  ', email: 'x@acme.test', role: 'agent', password: PASSWORD },
      'name',
    ],
    ['no email', { name: 'X', role: 'agent', password: PASSWORD }, 'email'],
    [
      'an invalid email',
      { name: 'X', email: 'not-an-email', role: 'agent', password: PASSWORD },
      'email',
    ],
    [
      'an unknown role',
      { name: 'X', email: 'x@acme.test', role: 'owner', password: PASSWORD },
      'role',
    ],
    ['no role', { name: 'X', email: 'x@acme.test', password: PASSWORD }, 'role'],
    [
      'a short password',
      { name: 'X', email: 'x@acme.test', role: 'agent', password: 'short' },
      'password',
    ],
    [
      'a numeric name',
      { name: 42, email: 'x@acme.test', role: 'agent', password: PASSWORD },
      'name',
    ],
    [
      'an unknown field',
      { name: 'X', email: 'x@acme.test', role: 'agent', password: PASSWORD, active: false },
      'active',
    ],
  ])('rejects %s with 400 bad_request naming the field', async (_label, body, field) => {
    const response = await createUser(body);
    expectApiError(response, 400, 'bad_request');
    const details = response.body.error.details as Array<{ path: string; message: string }>;
    expect(details.some((d) => d.path === field || d.message.includes(field))).toBe(true);
    expect(await t.server.storage.findUserByEmail(acmeId, 'x@acme.test')).toBeNull();
  });
});

describe('PATCH /api/v1/admin/users/<id>', () => {
  async function newUser(role: 'agent' | 'admin' = 'agent') {
    const email = `patch-${unique()}@acme.test`;
    const response = await createUser({ name: 'Patch Me', email, role, password: PASSWORD });
    expect(response.status).toBe(201);
    return { id: response.body.user.id as string, email };
  }

  it('changes the role (200 {user}) and the change is synced', async () => {
    const user = await newUser();
    const response = await patchUser(user.id, { role: 'admin' });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['user']);
    expect(response.body.user).toEqual({
      id: user.id,
      name: 'Patch Me',
      email: user.email,
      role: 'admin',
      active: true,
    });
    const login = await t.api.login('acme', user.email, PASSWORD);
    expect(login.user.role).toBe('admin');
    const back = await patchUser(user.id, { role: 'agent' });
    expect(back.status).toBe(200);
    expect(back.body.user.role).toBe('agent');
    expect((await t.api.login('acme', user.email, PASSWORD)).user.role).toBe('agent');
  });

  it('deactivates and reactivates (200 {user}), both in one request with a role too', async () => {
    const user = await newUser();
    const off = await patchUser(user.id, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.user).toMatchObject({ id: user.id, active: false, role: 'agent' });
    const login = await t.api.call('POST', '/api/v1/auth/login', {
      body: { tenant: 'acme', email: user.email, password: PASSWORD },
    });
    expectApiError(login, 401, 'account_disabled');
    const session = await t.api.session('acme', 'agent3@acme.test');
    const synced = (await session.pullAll('0', 5000))
      .flatMap((p) => p.changes)
      .find((c) => c.id === user.id);
    expect(synced).toMatchObject({ entity: 'user', data: { active: false } });

    const on = await patchUser(user.id, { active: true, role: 'admin' });
    expect(on.status).toBe(200);
    expect(on.body.user).toMatchObject({ active: true, role: 'admin' });
    expect((await t.api.login('acme', user.email, PASSWORD)).user.role).toBe('admin');
  });

  it("answers 404 not_found for an unknown id, a malformed id and another tenant's user", async () => {
    expectApiError(await patchUser(randomUUID(), { role: 'admin' }), 404, 'not_found');
    for (const id of ['not-a-uuid', '123', 'x'.repeat(90), "1' OR '1'='1"]) {
      expectApiError(await patchUser(encodeURIComponent(id), { role: 'admin' }), 404, 'not_found');
    }
    const globex = (await t.server.storage.getTenantBySlug('globex'))!;
    const foreign = (await t.server.storage.findUserByEmail(globex.id, 'agent1@globex.test'))!;
    const unknown = await patchUser(randomUUID(), { active: false });
    const response = await patchUser(foreign.id, { active: false });
    expectApiError(response, 404, 'not_found');
    // A foreign id answers exactly as a missing one, and the foreign user is untouched.
    expect(response.body).toEqual(unknown.body);
    expect((await t.server.storage.getUser(globex.id, foreign.id))!.active).toBe(true);
    expect((await t.api.login('globex', 'agent1@globex.test')).user.role).toBe('agent');
  });

  it('answers 403 to an agent, whatever the id', async () => {
    const user = await newUser();
    expectApiError(await patchUser(user.id, { role: 'admin' }, agentToken), 403, 'forbidden');
    expectApiError(await patchUser(randomUUID(), { role: 'admin' }, agentToken), 403, 'forbidden');
    expectApiError(await patchUser('not-a-uuid', { role: 'admin' }, agentToken), 403, 'forbidden');
    // An agent cannot promote themselves either.
    const self = (await t.server.storage.findUserByEmail(acmeId, 'agent1@acme.test'))!;
    expectApiError(await patchUser(self.id, { role: 'admin' }, agentToken), 403, 'forbidden');
    expect((await t.server.storage.getUser(acmeId, user.id))!.role).toBe('agent');
    expect((await t.server.storage.getUser(acmeId, self.id))!.role).toBe('agent');
  });

  it.each([
    ['an empty body', {}],
    ['an unknown role', { role: 'owner' }],
    ['active as a string', { active: 'no' }],
    ['an unknown field', { role: 'agent', email: 'x@acme.test' }],
    ['a name change', { name: 'Renamed' }],
    ['null', null],
  ])('rejects %s with 400 bad_request', async (_label, body) => {
    const user = await newUser();
    const response = await patchUser(user.id, body);
    expectApiError(response, 400, 'bad_request');
    expect(await t.server.storage.getUser(acmeId, user.id)).toMatchObject({
      role: 'agent',
      active: true,
      name: 'Patch Me',
    });
  });

  it('keeps the last active admin: no demotion, no deactivation (400)', async () => {
    const { session, tenantId } = await freshTenant('lastadmin');
    const owner = session.tokens.user.id;
    const token = session.token;
    const demote = await t.api.call('PATCH', `/api/v1/admin/users/${owner}`, {
      token,
      body: { role: 'agent' },
    });
    expectApiError(demote, 400, 'bad_request');
    const deactivate = await t.api.call('PATCH', `/api/v1/admin/users/${owner}`, {
      token,
      body: { active: false },
    });
    expectApiError(deactivate, 400, 'bad_request');
    expect(await t.server.storage.getUser(tenantId, owner)).toMatchObject({
      role: 'admin',
      active: true,
    });
    // Re-stating the admin's own state is fine.
    expect(
      (
        await t.api.call('PATCH', `/api/v1/admin/users/${owner}`, {
          token,
          body: { role: 'admin', active: true },
        })
      ).status,
    ).toBe(200);

    // With a second admin, the first may step down; then the second is the last one.
    const second = await t.api.call('POST', '/api/v1/admin/users', {
      token,
      body: { name: 'Deputy', email: 'deputy@lastadmin.test', role: 'admin', password: PASSWORD },
    });
    expect(second.status).toBe(201);
    const secondId: string = second.body.user.id;
    const stepDown = await t.api.call('PATCH', `/api/v1/admin/users/${owner}`, {
      token,
      body: { role: 'agent' },
    });
    expect(stepDown.status).toBe(200);
    const deputy = (
      await t.api.login(session.tokens.tenant.slug, 'deputy@lastadmin.test', PASSWORD)
    ).accessToken;
    expectApiError(
      await t.api.call('PATCH', `/api/v1/admin/users/${secondId}`, {
        token: deputy,
        body: { active: false },
      }),
      400,
      'bad_request',
    );
    expectApiError(
      await t.api.call('PATCH', `/api/v1/admin/users/${secondId}`, {
        token: deputy,
        body: { role: 'agent' },
      }),
      400,
      'bad_request',
    );
    // An inactive admin does not count as the one that is kept.
    const third = await t.api.call('POST', '/api/v1/admin/users', {
      token: deputy,
      body: { name: 'Sleeper', email: 'sleeper@lastadmin.test', role: 'admin', password: PASSWORD },
    });
    expect(third.status).toBe(201);
    expect(
      (
        await t.api.call('PATCH', `/api/v1/admin/users/${third.body.user.id}`, {
          token: deputy,
          body: { active: false },
        })
      ).status,
    ).toBe(200);
    expectApiError(
      await t.api.call('PATCH', `/api/v1/admin/users/${secondId}`, {
        token: deputy,
        body: { active: false },
      }),
      400,
      'bad_request',
    );
    expect(await activeAdmins(tenantId)).toBe(1);
  });

  it('keeps one admin when two admins demote each other at the same time', async () => {
    const { session, slug, tenantId } = await freshTenant('duel');
    const created = await t.api.call('POST', '/api/v1/admin/users', {
      token: session.token,
      body: { name: 'Rival', email: 'rival@duel.test', role: 'admin', password: PASSWORD },
    });
    expect(created.status).toBe(201);
    const rival = await t.api.login(slug, 'rival@duel.test', PASSWORD);
    const responses = await Promise.all([
      t.api.call('PATCH', `/api/v1/admin/users/${rival.user.id}`, {
        token: session.token,
        body: { role: 'agent' },
      }),
      t.api.call('PATCH', `/api/v1/admin/users/${session.tokens.user.id}`, {
        token: rival.accessToken,
        body: { role: 'agent' },
      }),
    ]);
    // One wins; the other is refused, either as the last admin (400) or as a now-demoted agent (403).
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([400, 403]).toContain(statuses[1]);
    expect(await activeAdmins(tenantId)).toBe(1);
  });

  it('checks for a remaining admin in the update itself: of two demoted at once, one stays', async () => {
    const { session, tenantId } = await freshTenant('atomic');
    const created = await t.api.call('POST', '/api/v1/admin/users', {
      token: session.token,
      body: { name: 'Second', email: 'second@atomic.test', role: 'admin', password: PASSWORD },
    });
    expect(created.status).toBe(201);
    const admins = [session.tokens.user.id, created.body.user.id as string];
    const now = new Date().toISOString();
    // Straight to the storage, both at once: no check before the update can tell them apart.
    const outcomes = await Promise.allSettled(
      admins.map((id) => t.server.storage.updateUser(tenantId, id, { role: 'agent' }, now)),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected')!;
    expect(refused.reason).toBeInstanceOf(LastAdminError);
    expect(await activeAdmins(tenantId)).toBe(1);
    // Deactivating the one left is refused the same way, and changes nothing.
    const left = (await Promise.all(admins.map((id) => t.server.storage.getUser(tenantId, id))))
      .filter((u) => u?.role === 'admin')
      .map((u) => u!.id);
    expect(left).toHaveLength(1);
    await expect(
      t.server.storage.updateUser(tenantId, left[0]!, { active: false }, now),
    ).rejects.toBeInstanceOf(LastAdminError);
    expect(await t.server.storage.getUser(tenantId, left[0]!)).toMatchObject({
      role: 'admin',
      active: true,
    });
  });

  it('keeps the only admin of the demo tenant globex too', async () => {
    const globex = (await t.server.storage.getTenantBySlug('globex'))!;
    const globexAdmin = (await t.server.storage.findUserByEmail(globex.id, 'admin@globex.test'))!;
    const token = (await t.api.login('globex', 'admin@globex.test')).accessToken;
    expectApiError(await patchUser(globexAdmin.id, { active: false }, token), 400, 'bad_request');
    expectApiError(await patchUser(globexAdmin.id, { role: 'agent' }, token), 400, 'bad_request');
    expect(await t.server.storage.getUser(globex.id, globexAdmin.id)).toMatchObject({
      role: 'admin',
      active: true,
    });
  });
});

describe('GET /api/v1/admin/stats', () => {
  it('answers admins only: 403 for an agent, 401 without a token', async () => {
    expectApiError(await stats(agentToken), 403, 'forbidden');
    expectApiError(await stats(agentToken, '?days=7'), 403, 'forbidden');
    expectApiError(await t.api.call('GET', '/api/v1/admin/stats'), 401, 'unauthorized');
  });

  it('answers the demo tenant with the StatsResponse shape, buckets and nothing identifying', async () => {
    const before = Date.now();
    const response = await stats(adminToken, '?days=366');
    expect(response.status).toBe(200);
    const body = response.body;
    expect(StatsResponse.strict().safeParse(body).success).toBe(true);
    expect(Object.keys(body).sort()).toEqual(
      [
        'activeUsers',
        'days',
        'generatedAt',
        'minBucketSize',
        'suppressedBuckets',
        'ticketsByDay',
        'ticketsByStatus',
      ].sort(),
    );
    expect(body.days).toBe(366);
    expect(body.minBucketSize).toBe(5);
    expect(Date.parse(body.generatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(body.ticketsByStatus.length).toBeGreaterThan(0);
    for (const bucket of body.ticketsByStatus) {
      expect(Object.keys(bucket).sort()).toEqual(['status', 'tickets']);
      expect(bucket.tickets).toBeGreaterThanOrEqual(5);
    }
    expect(new Set(body.ticketsByStatus.map((b: { status: string }) => b.status)).size).toBe(
      body.ticketsByStatus.length,
    );
    for (const bucket of body.ticketsByDay) {
      expect(bucket.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(bucket.tickets).toBeGreaterThanOrEqual(5);
    }
    const total = body.ticketsByStatus.reduce(
      (n: number, b: { tickets: number }) => n + b.tickets,
      0,
    );
    expect(total).toBeGreaterThanOrEqual(200);
    expect(body.suppressedBuckets).toBeGreaterThanOrEqual(0);

    const json = JSON.stringify(body);
    expect(json).not.toMatch(UUID_ANYWHERE);
    expect(json).not.toMatch(EMAIL_ANYWHERE);
    expect(json).not.toMatch(/acme/i);
  });

  it('defaults to 30 days and honours days=N', async () => {
    const byDefault = await stats(adminToken);
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.days).toBe(30);
    const one = await stats(adminToken, '?days=1');
    expect(one.status).toBe(200);
    expect(one.body.days).toBe(1);
    const sum = (b: { ticketsByStatus: Array<{ tickets: number }>; suppressedBuckets: number }) =>
      b.ticketsByStatus.reduce((n, x) => n + x.tickets, 0);
    const year = await stats(adminToken, '?days=366');
    expect(sum(year.body)).toBeGreaterThanOrEqual(sum(byDefault.body));
    const cutoff = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    for (const bucket of one.body.ticketsByDay) expect(bucket.day >= cutoff).toBe(true);
  });

  it.each([
    ['?days=0'],
    ['?days=367'],
    ['?days=-1'],
    ['?days=abc'],
    ['?days=1.5'],
    ['?days=7&tenant=globex'],
  ])('rejects %s with 400 bad_request', async (query) => {
    expectApiError(await stats(adminToken, query), 400, 'bad_request');
  });

  it('suppresses every bucket of a small tenant, and shows one once 5 requesters are in it', async () => {
    const { session, slug, tenantId } = await freshTenant('smallco');
    const contact = (name: string) => ({
      name: 'createContact',
      args: { id: randomUUID(), name, email: `${name}@customers.test` },
    });
    const ticket = (requesterId: string, subject: string) => ({
      name: 'createTicket',
      args: { id: randomUUID(), subject, description: 'Printer on fire', requesterId },
    });
    const [alice, bob, carol] = [contact('alice'), contact('bob'), contact('carol')];
    const first = await session.send(
      alice,
      bob,
      carol,
      ticket(alice.args.id, 'A1'),
      ticket(alice.args.id, 'A2'),
      ticket(bob.args.id, 'B1'),
      ticket(carol.args.id, 'C1'),
    );
    expect(first.status).toBe(200);
    expect(first.body.results.map((r) => r.status)).toEqual(Array(7).fill('applied'));

    const small = await stats(session.token, '?days=7');
    expect(small.status).toBe(200);
    expect(small.body.ticketsByStatus).toEqual([]);
    expect(small.body.ticketsByDay).toEqual([]);
    expect(small.body.suppressedBuckets).toBeGreaterThan(0);
    expect(small.body.activeUsers).toBeNull();
    expect(JSON.stringify(small.body)).not.toMatch(UUID_ANYWHERE);
    expect(JSON.stringify(small.body)).not.toMatch(EMAIL_ANYWHERE);

    // Two more requesters with new tickets: the "new" bucket now describes 5 people. A sixth
    // ticket moved to "open" makes a bucket of one, which stays hidden.
    const [dave, erin, frank] = [contact('dave'), contact('erin'), contact('frank')];
    const frankTicket = ticket(frank.args.id, 'F1');
    const second = await session.send(
      dave,
      erin,
      frank,
      ticket(dave.args.id, 'D1'),
      ticket(erin.args.id, 'E1'),
      frankTicket,
      {
        name: 'setTicketFields',
        args: { ticketId: frankTicket.args.id, fields: { status: 'open' } },
      },
    );
    expect(second.body.results.map((r) => r.status)).toEqual(Array(7).fill('applied'));

    const tickets = (await session.pullAll())
      .flatMap((p) => p.changes)
      .filter((c) => c.entity === 'ticket' && c.op === 'upsert');
    const days = new Set(
      tickets.map((c) => (c.op === 'upsert' ? String(c.data.createdAt).slice(0, 10) : '')),
    );
    expect(tickets).toHaveLength(7);
    const larger = await stats(session.token, '?days=7');
    expect(larger.status).toBe(200);
    expect(larger.body.ticketsByStatus).toEqual([{ status: 'new', tickets: 6 }]);
    if (days.size === 1) {
      // (All tickets were made on one UTC day, unless the test ran across midnight.)
      expect(larger.body.ticketsByDay).toEqual([{ day: [...days][0], status: 'new', tickets: 6 }]);
      expect(larger.body.suppressedBuckets).toBe(2);
    }
    expect(larger.body.activeUsers).toBeNull();
    expect(JSON.stringify(larger.body)).not.toMatch(UUID_ANYWHERE);

    // Active users: shown only once 5 distinct users signed in; failed log-ins do not count.
    const agents: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const email = `agent${i}@smallco.test`;
      const created = await t.api.call('POST', '/api/v1/admin/users', {
        token: session.token,
        body: { name: `Agent ${i}`, email, role: 'agent', password: PASSWORD },
      });
      expect(created.status).toBe(201);
      agents.push(email);
    }
    for (const email of agents.slice(0, 3)) await t.api.login(slug, email, PASSWORD);
    const failed = await t.api.call('POST', '/api/v1/auth/login', {
      body: { tenant: slug, email: agents[3], password: 'not-the-password' },
    });
    expect(failed.status).toBe(401);
    expect((await stats(session.token, '?days=7')).body.activeUsers).toBeNull();
    await t.api.login(slug, agents[3]!, PASSWORD);
    expect((await stats(session.token, '?days=7')).body.activeUsers).toBe(5);
    expect(
      await t.server.storage.countActiveUsers(
        tenantId,
        new Date(Date.now() - 86_400_000).toISOString(),
      ),
    ).toBe(5);
  });

  it('counts only its own tenant', async () => {
    const { session } = await freshTenant('emptyco');
    const response = await stats(session.token, '?days=366');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ticketsByStatus: [],
      ticketsByDay: [],
      suppressedBuckets: 0,
      activeUsers: null,
    });
  });
});
