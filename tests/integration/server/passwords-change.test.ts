import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginEvent } from '../../../src-shared/domain/entities';
import type { TokenResponse } from '../../../src-shared/protocol/auth';
import type { ApiResponse } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { startTestServer, type TestServer } from '../../support/test-server';

const OLD = 'first-chosen-secret-7';
const NEW = 'second-chosen-secret-8';

let t: TestServer;
let adminToken: string;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  adminToken = (await t.api.login('acme', 'admin@acme.test')).accessToken;
});
afterAll(() => t?.close());

/** A fresh agent of acme, so that failure counters of one test never touch another. */
async function newAgent(password = OLD): Promise<string> {
  const email = `pw-${randomUUID().slice(0, 8)}@acme.test`;
  const response = await t.api.call('POST', '/api/v1/admin/users', {
    token: adminToken,
    body: { name: 'Pat Password', email, role: 'agent', password },
  });
  expect(response.status).toBe(201);
  return email;
}

function changePassword(token: string, body: unknown): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/account/password', { token, body });
}

function refresh(tokens: TokenResponse): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/auth/refresh', {
    body: { refreshToken: tokens.refreshToken, clientId: randomUUID() },
  });
}

function logins(token: string): Promise<ApiResponse<{ events: LoginEvent[] }>> {
  return t.api.call('GET', '/api/v1/account/logins?scope=me', { token });
}

function login(email: string, password: string): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/auth/login', { body: { tenant: 'acme', email, password } });
}

describe('POST /api/v1/account/password', () => {
  it("changes the password and ends every other session, keeping the caller's", async () => {
    const email = await newAgent();
    const mine = await t.api.login('acme', email, OLD);
    const laptop = await t.api.login('acme', email, OLD);
    const phone = await t.api.login('acme', email, OLD);

    const response = await changePassword(mine.accessToken, {
      currentPassword: OLD,
      newPassword: NEW,
    });
    expect(response.status).toBe(204);

    for (const other of [laptop, phone]) {
      expectApiError(await logins(other.accessToken), 401, 'unauthorized');
      expectApiError(await refresh(other), 401, 'unauthorized');
    }
    expect((await logins(mine.accessToken)).status).toBe(200);
    const renewed = await refresh(mine);
    expect(renewed.status).toBe(200);
    expect((await logins(renewed.body.accessToken)).status).toBe(200);

    expectApiError(await login(email, OLD), 401, 'unauthorized');
    expect((await login(email, NEW)).status).toBe(200);
  });

  it('refuses a wrong current password with 403 wrong_password and changes nothing', async () => {
    const email = await newAgent();
    const mine = await t.api.login('acme', email, OLD);
    const other = await t.api.login('acme', email, OLD);
    const response = await changePassword(mine.accessToken, {
      currentPassword: 'not-the-password-1',
      newPassword: NEW,
    });
    expectApiError(response, 403, 'wrong_password');
    // The session itself goes on: a wrong password is not a signed-out client.
    expect((await logins(mine.accessToken)).status).toBe(200);
    expect((await logins(other.accessToken)).status).toBe(200);
    expect((await login(email, OLD)).status).toBe(200);
    expectApiError(await login(email, NEW), 401, 'unauthorized');
    const events = (await logins(mine.accessToken)).body.events;
    expect(events.filter((e) => e.reason === 'wrong_current_password')).toHaveLength(1);
  });

  it('limits wrong current passwords like log-ins: the correct one is refused too, then', async () => {
    const email = await newAgent();
    const mine = await t.api.login('acme', email, OLD);
    for (let i = 0; i < 5; i++) {
      const wrong = await changePassword(mine.accessToken, {
        currentPassword: `wrong-guess-number-${i}`,
        newPassword: NEW,
      });
      expectApiError(wrong, 403, 'wrong_password');
    }
    const limited = await changePassword(mine.accessToken, {
      currentPassword: OLD,
      newPassword: NEW,
    });
    expectApiError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The same counter guards log-in: the guesses cannot continue there either.
    expectApiError(await login(email, OLD), 429, 'rate_limited');
  });

  it.each([
    ['a breached password with digits and a symbol', 'Password123!', 'breached'],
    ['the email address', '{email}', 'same_as_account'],
    ['the tenant slug with digits', 'acme123456', 'same_as_account'],
  ])('refuses %s with 400 weak_password naming the rule', async (_label, candidate, rule) => {
    const email = await newAgent();
    const mine = await t.api.login('acme', email, OLD);
    const response = await changePassword(mine.accessToken, {
      currentPassword: OLD,
      newPassword: candidate.replace('{email}', email),
    });
    expectApiError(response, 400, 'weak_password');
    expect(response.body.error.details).toEqual([{ path: 'password', message: rule }]);
    expect(response.body.error.message.length).toBeGreaterThan(20);
    expect((await login(email, OLD)).status).toBe(200);
  });

  it('refuses a short new password as a bad request naming the field', async () => {
    const email = await newAgent();
    const mine = await t.api.login('acme', email, OLD);
    const response = await changePassword(mine.accessToken, {
      currentPassword: OLD,
      newPassword: 'short-1',
    });
    expectApiError(response, 400, 'bad_request');
    expect(response.body.error.details[0].path).toBe('newPassword');
  });

  it('needs a signed-in caller', async () => {
    const response = await t.api.call('POST', '/api/v1/account/password', {
      body: { currentPassword: OLD, newPassword: NEW },
    });
    expectApiError(response, 401, 'unauthorized');
  });
});

describe('the password policy at sign-up and user creation', () => {
  it('refuses a breached password at sign-up and creates nothing', async () => {
    const response = await t.api.call('POST', '/api/v1/auth/signup', {
      body: {
        company: { name: 'Weak Pass Co' },
        user: { name: 'Wes Weak', email: 'wes@weak.test', password: 'Qwerty123456!' },
        seats: 2,
      },
    });
    expectApiError(response, 400, 'weak_password');
    expect(await t.server.storage.getTenantBySlug('weak-pass-co')).toBeNull();
  });

  it('refuses the company name as a password at sign-up', async () => {
    const response = await t.api.call('POST', '/api/v1/auth/signup', {
      body: {
        company: { name: 'Blue Harbour Trading' },
        user: { name: 'Bo', email: 'bo@harbour.test', password: 'blue-harbour-trading' },
        seats: 2,
      },
    });
    expectApiError(response, 400, 'weak_password');
  });

  it('refuses a breached password when an admin creates a user', async () => {
    const email = `weak-${randomUUID().slice(0, 8)}@acme.test`;
    const response = await t.api.call('POST', '/api/v1/admin/users', {
      token: adminToken,
      body: { name: 'W', email, role: 'agent', password: 'letmein12345' },
    });
    expectApiError(response, 400, 'weak_password');
    const acme = (await t.server.storage.getTenantBySlug('acme'))!;
    expect(await t.server.storage.findUserByEmail(acme.id, email)).toBeNull();
  });
});

describe('unique user names per tenant', () => {
  it('treats emails that differ only in case as the same user', async () => {
    const local = `Unique-${randomUUID().slice(0, 8)}`;
    const first = await t.api.call('POST', '/api/v1/admin/users', {
      token: adminToken,
      body: { name: 'First', email: `${local}@Acme.test`, role: 'agent', password: OLD },
    });
    expect(first.status).toBe(201);
    const second = await t.api.call('POST', '/api/v1/admin/users', {
      token: adminToken,
      body: {
        name: 'Second',
        email: `${local.toLowerCase()}@acme.TEST`,
        role: 'agent',
        password: NEW,
      },
    });
    expectApiError(second, 409, 'already_exists');
    // Logging in with either spelling reaches the one user.
    expect((await login(`${local.toUpperCase()}@ACME.TEST`, OLD)).body.user.id).toBe(
      first.body.user.id,
    );
    const demo = await t.api.call('POST', '/api/v1/admin/users', {
      token: adminToken,
      body: { name: 'Twin', email: 'Agent1@ACME.test', role: 'agent', password: NEW },
    });
    expectApiError(demo, 409, 'already_exists');
  });
});
