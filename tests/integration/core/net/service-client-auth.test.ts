import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient } from '../../../../src-main/core/net/service-client';
import { serviceFailure } from '../../../support/service-errors';
import { startTestServer, type TestServer } from '../../../support/test-server';

/** ServiceClient's account calls against the real service over HTTPS (PROTOCOL.md, "Accounts"). */

const PASSWORD = 'demo-password-1';
let t: TestServer;
let client: ServiceClient;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  client = new ServiceClient({ serverUrl: t.server.url, ca: t.ca });
});

afterAll(async () => {
  client?.close();
  await t?.close();
});

describe('ServiceClient accounts', () => {
  it('signs up a new company, then logs in to it', async () => {
    const email = `owner-${randomUUID()}@example.test`;
    const signup = await client.signup({
      company: { name: `Initech ${randomUUID().slice(0, 8)}` },
      user: { name: 'Owner', email, password: 'a-long-password-1' },
      seats: 3,
    });
    expect(signup.user).toMatchObject({ email, role: 'admin' });
    expect(signup.tenant.slug).toMatch(/^initech/);

    const tokens = await client.login({
      tenant: signup.tenant.slug,
      email,
      password: 'a-long-password-1',
    });
    expect(tokens.user.id).toBe(signup.user.id);
    expect(tokens.tenant.id).toBe(signup.tenant.id);
  });

  it('logs in with typed, validated tokens', async () => {
    const tokens = await client.login({
      tenant: 'acme',
      email: 'agent1@acme.test',
      password: PASSWORD,
      clientId: randomUUID(),
    });
    expect(tokens.user).toMatchObject({ email: 'agent1@acme.test', role: 'agent' });
    expect(tokens.tenant.slug).toBe('acme');
    expect(tokens.expiresIn).toBeGreaterThan(0);
    expect(tokens.accessToken).not.toBe(tokens.refreshToken);
    // The access token works at once.
    const page = await client.pull('0', 1, randomUUID(), tokens.accessToken);
    expect(page.changes).toHaveLength(1);
  });

  it('maps a wrong password to http 401 unauthorized with the service message', async () => {
    const error = await serviceFailure(
      client.login({ tenant: 'acme', email: 'agent2@acme.test', password: 'not-the-password' }),
    );
    expect(error.kind).toBe('http');
    expect(error.status).toBe(401);
    expect(error.code).toBe('unauthorized');
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.retryable).toBe(false);
  });

  it('maps a malformed request to bad_request with the fields named', async () => {
    const error = await serviceFailure(
      client.login({ tenant: 'acme', email: 'not an email', password: PASSWORD }),
    );
    expect(error).toMatchObject({ kind: 'http', status: 400, code: 'bad_request' });
    expect(error.details?.map((d) => d.path)).toContain('email');
  });

  it('refreshes once per token, replays within the grace window, and revokes on other reuse', async () => {
    const clientId = randomUUID();
    const first = await client.login({
      tenant: 'acme',
      email: 'agent3@acme.test',
      password: PASSWORD,
    });
    const second = await client.refresh(first.refreshToken, clientId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.email).toBe('agent3@acme.test');

    // A lost answer: the same client presents the same token again and gets the same pair.
    const replay = await client.refresh(first.refreshToken, clientId);
    expect(replay.refreshToken).toBe(second.refreshToken);

    // Another client presenting it looks like theft: 401, and the whole chain ends.
    const stolen = await serviceFailure(client.refresh(first.refreshToken, randomUUID()));
    expect(stolen).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });
    const after = await serviceFailure(client.refresh(second.refreshToken, clientId));
    expect(after).toMatchObject({ kind: 'http', code: 'unauthorized' });
    const pull = await serviceFailure(client.pull('0', 1, clientId, second.accessToken));
    expect(pull).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });
  });

  it('logs out (204, no body) and the refresh token stops working', async () => {
    const tokens = await client.login({
      tenant: 'acme',
      email: 'agent4@acme.test',
      password: PASSWORD,
    });
    await expect(client.logout(tokens.refreshToken)).resolves.toBeUndefined();
    // Unknown or revoked: the same 204.
    await expect(client.logout(tokens.refreshToken)).resolves.toBeUndefined();
    const error = await serviceFailure(client.refresh(tokens.refreshToken, randomUUID()));
    expect(error).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });
  });

  it('maps a deactivated account to account_disabled, on log-in and on sync calls', async () => {
    const admin = await t.api.login('acme', 'admin@acme.test');
    const email = `temp-${randomUUID().slice(0, 8)}@acme.test`;
    const created = await t.api.call('POST', '/api/v1/admin/users', {
      token: admin.accessToken,
      body: { name: 'Temp Agent', email, role: 'agent', password: PASSWORD },
    });
    expect(created.status).toBe(201);
    const tokens = await client.login({ tenant: 'acme', email, password: PASSWORD });

    const patched = await t.api.call('PATCH', `/api/v1/admin/users/${tokens.user.id}`, {
      token: admin.accessToken,
      body: { active: false },
    });
    expect(patched.status).toBe(200);

    const login = await serviceFailure(client.login({ tenant: 'acme', email, password: PASSWORD }));
    expect(login).toMatchObject({ kind: 'http', status: 401, code: 'account_disabled' });
    const pull = await serviceFailure(client.pull('0', 1, randomUUID(), tokens.accessToken));
    expect(pull).toMatchObject({ kind: 'http', status: 401, code: 'account_disabled' });
  });

  it('reads the log-in history, own for agents and the tenant’s for admins only', async () => {
    const agent = await client.login({
      tenant: 'acme',
      email: 'agent5@acme.test',
      password: PASSWORD,
    });
    const own = await client.loginHistory('me', agent.accessToken, 10);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((event) => event.email === 'agent5@acme.test')).toBe(true);
    expect(own.some((event) => event.success && event.reason === 'ok')).toBe(true);

    const refused = await serviceFailure(client.loginHistory('tenant', agent.accessToken));
    expect(refused).toMatchObject({ kind: 'http', status: 403, code: 'forbidden' });

    const admin = await client.login({
      tenant: 'acme',
      email: 'admin@acme.test',
      password: PASSWORD,
    });
    const tenant = await client.loginHistory('tenant', admin.accessToken, 500);
    expect(new Set(tenant.map((event) => event.email))).toContain('agent5@acme.test');
  });

  it('maps too many failed log-ins to 429 rate_limited with Retry-After in seconds', async () => {
    const email = `nobody-${randomUUID().slice(0, 8)}@acme.test`;
    const attempt = () => client.login({ tenant: 'acme', email, password: 'wrong-password-x' });
    for (let i = 0; i < 5; i++) {
      const error = await serviceFailure(attempt());
      expect(error.code).toBe('unauthorized');
    }
    const limited = await serviceFailure(attempt());
    expect(limited).toMatchObject({ kind: 'http', status: 429, code: 'rate_limited' });
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(limited.retryable).toBe(true);
  });
});
