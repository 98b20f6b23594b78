import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginEvent } from '../../../src-shared/domain/entities';
import { CreateUserResponse, ResetPasswordResponse } from '../../../src-shared/protocol/admin';
import type { TokenResponse } from '../../../src-shared/protocol/auth';
import type { ApiResponse } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { serviceSql } from '../../support/service-db';
import { startTestServer, type TestServer } from '../../support/test-server';

const FIRST = 'first-chosen-secret-7';
const CHOSEN = 'agent-chosen-secret-9';

let t: TestServer;
let adminToken: string;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  adminToken = (await t.api.login('acme', 'admin@acme.test')).accessToken;
});
afterAll(() => t?.close());

const newEmail = () => `setup-${randomUUID().slice(0, 8)}@acme.test`;

function createUser(body: Record<string, unknown>): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/admin/users', {
    token: adminToken,
    body: { name: 'Sam Setup', role: 'agent', ...body },
  });
}

function reset(userId: string, token = adminToken): Promise<ApiResponse> {
  return t.api.call('POST', `/api/v1/admin/users/${userId}/reset-password`, { token, body: {} });
}

function setPassword(body: Record<string, unknown>): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/auth/set-password', { body: { tenant: 'acme', ...body } });
}

function login(email: string, password: string): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/auth/login', { body: { tenant: 'acme', email, password } });
}

describe('POST /api/v1/admin/users/:id/reset-password', () => {
  it('ends the old password and every session, and hands out a one-time setup token', async () => {
    const email = newEmail();
    const created = await createUser({ email, password: FIRST });
    expect(created.status).toBe(201);
    expect(created.body.setup).toBeUndefined();
    const userId: string = created.body.user.id;
    const laptop = await t.api.login('acme', email, FIRST);

    const before = Date.now();
    const response = await reset(userId);
    expect(response.status).toBe(200);
    const body = ResetPasswordResponse.parse(response.body);
    expect(body.user).toMatchObject({ id: userId, email });
    expect(body.setup.setupToken.length).toBeGreaterThanOrEqual(40);
    const hours = (Date.parse(body.setup.expiresAt) - before) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThan(72.1);

    // The agent's sessions are over, and the old password no longer opens the account.
    const calls = await t.api.call('GET', '/api/v1/account/logins', { token: laptop.accessToken });
    expectApiError(calls, 401, 'unauthorized');
    const renewed = await t.api.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: laptop.refreshToken, clientId: randomUUID() },
    });
    expectApiError(renewed, 401, 'unauthorized');
    const old = await login(email, FIRST);
    expectApiError(old, 403, 'password_setup_required');

    // Only a hash of the token is stored (read directly: no endpoint shows it).
    const [stored] = await serviceSql<{ token_hash: string }>(
      t,
      'SELECT token_hash FROM password_setup_tokens WHERE user_id = ?',
      [userId],
    );
    expect(stored?.token_hash).not.toContain(body.setup.setupToken);
    expect(stored?.token_hash.length).toBeGreaterThan(20);

    const set = await setPassword({
      email,
      setupToken: body.setup.setupToken,
      newPassword: CHOSEN,
    });
    expect(set.status).toBe(204);
    const fresh = await login(email, CHOSEN);
    expect(fresh.status).toBe(200);
    expect((fresh.body as TokenResponse).user.id).toBe(userId);
    expectApiError(await login(email, FIRST), 401, 'unauthorized');

    // The token worked once.
    const again = await setPassword({
      email,
      setupToken: body.setup.setupToken,
      newPassword: 'another-chosen-secret-3',
    });
    expectApiError(again, 400, 'setup_token_invalid');
    expect((await login(email, CHOSEN)).status).toBe(200);
  });

  it('replaces an earlier setup token with the new one', async () => {
    const email = newEmail();
    const created = await createUser({ email, password: FIRST });
    const first = ResetPasswordResponse.parse((await reset(created.body.user.id)).body);
    const second = ResetPasswordResponse.parse((await reset(created.body.user.id)).body);
    expect(second.setup.setupToken).not.toBe(first.setup.setupToken);
    const stale = await setPassword({
      email,
      setupToken: first.setup.setupToken,
      newPassword: CHOSEN,
    });
    expectApiError(stale, 400, 'setup_token_invalid');
    const ok = await setPassword({
      email,
      setupToken: second.setup.setupToken,
      newPassword: CHOSEN,
    });
    expect(ok.status).toBe(204);
  });

  it('is for admins, and only for users of their own tenant', async () => {
    const email = newEmail();
    const created = await createUser({ email, password: FIRST });
    const agent = await t.api.login('acme', 'agent2@acme.test');
    expectApiError(await reset(created.body.user.id, agent.accessToken), 403, 'forbidden');
    expectApiError(await reset(randomUUID()), 404, 'not_found');
    expectApiError(await reset('not-a-uuid'), 404, 'not_found');
    const other = await t.api.call('POST', '/api/v1/auth/signup', {
      body: {
        company: { name: `Elsewhere ${randomUUID().slice(0, 6)}` },
        user: { name: 'Olga', email: 'olga@elsewhere.test', password: FIRST },
        seats: 2,
      },
    });
    expect(other.status).toBe(201);
    expectApiError(await reset(other.body.user.id), 404, 'not_found');
    // Nothing happened to the agent's password.
    expect((await login(email, FIRST)).status).toBe(200);
  });
});

describe('inviting a user without a password', () => {
  it('returns a setup token; the user sets a password once, then logs in', async () => {
    const email = newEmail();
    const response = await createUser({ email });
    expect(response.status).toBe(201);
    const body = CreateUserResponse.parse(response.body);
    const setupToken = body.setup!.setupToken;

    const early = await login(email, 'any-password-at-all');
    expectApiError(early, 403, 'password_setup_required');
    const history = await t.api.call<{ events: LoginEvent[] }>(
      'GET',
      '/api/v1/account/logins?scope=tenant&limit=500',
      { token: adminToken },
    );
    const attempt = history.body.events.find((e) => e.userId === body.user.id);
    expect(attempt).toMatchObject({ success: false, reason: 'password_setup_required' });

    // A weak password is refused and the token stays usable.
    const weak = await setPassword({ email, setupToken, newPassword: 'Welcome2024!' });
    expectApiError(weak, 400, 'weak_password');
    expect(weak.body.error.message).toMatch(/common leaked passwords/);
    const wrongToken = await setPassword({
      email,
      setupToken: `${setupToken}x`,
      newPassword: CHOSEN,
    });
    expectApiError(wrongToken, 400, 'setup_token_invalid');
    const wrongUser = await setPassword({ email: newEmail(), setupToken, newPassword: CHOSEN });
    expectApiError(wrongUser, 400, 'setup_token_invalid');

    expect((await setPassword({ email, setupToken, newPassword: CHOSEN })).status).toBe(204);
    const session = await login(email, CHOSEN);
    expect(session.status).toBe(200);
    expect(session.body.user.id).toBe(body.user.id);
  });

  it('refuses an expired setup token with 410 setup_token_expired', async () => {
    const email = newEmail();
    const body = CreateUserResponse.parse((await createUser({ email })).body);
    await serviceSql(t, 'UPDATE password_setup_tokens SET expires_at = ? WHERE user_id = ?', [
      new Date(Date.now() - 1000).toISOString(),
      body.user.id,
    ]);
    const response = await setPassword({
      email,
      setupToken: body.setup!.setupToken,
      newPassword: CHOSEN,
    });
    expectApiError(response, 410, 'setup_token_expired');
    expectApiError(await login(email, CHOSEN), 403, 'password_setup_required');
  });

  it('answers account_disabled to a deactivated user, whose token sets nothing', async () => {
    const email = newEmail();
    const body = CreateUserResponse.parse((await createUser({ email })).body);
    const off = await t.api.call('PATCH', `/api/v1/admin/users/${body.user.id}`, {
      token: adminToken,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    const response = await setPassword({
      email,
      setupToken: body.setup!.setupToken,
      newPassword: CHOSEN,
    });
    expectApiError(response, 401, 'account_disabled');
  });
});
