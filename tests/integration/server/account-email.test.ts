import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginEvent } from '../../../src-shared/domain/entities';
import type { ApiResponse } from '../../support/api-client';
import { expectApiError } from '../../support/api-errors';
import { signUpTenant, type SignedUpTenant } from '../../support/privacy-fixtures';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * POST /api/v1/account/email: the current password is checked as for a change of password
 * (recorded, rate limited), the new email is unique in the tenant whatever its case, and the
 * change reaches replicas through the change log (`user` and `profile` rows).
 */

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

/** A fresh tenant for each test, so that failure counters of one never touch another. */
function freshTenant(): Promise<SignedUpTenant> {
  return signUpTenant(t.api, 'email', 2);
}

function changeEmail(token: string | undefined, body: unknown): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/account/email', { ...(token ? { token } : {}), body });
}

function login(slug: string, email: string, password: string): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/auth/login', { body: { tenant: slug, email, password } });
}

function logins(token: string): Promise<ApiResponse<{ events: LoginEvent[] }>> {
  return t.api.call('GET', '/api/v1/account/logins?scope=me', { token });
}

describe('POST /api/v1/account/email', () => {
  it('changes the login email; the old one stops working and every replica gets the new one', async () => {
    const tenant = await freshTenant();
    const [agent, colleague] = tenant.agents as [
      (typeof tenant.agents)[0],
      (typeof tenant.agents)[0],
    ];
    const mine = await t.api.session(tenant.slug, agent.email, agent.password);
    const theirs = await t.api.session(tenant.slug, colleague.email, colleague.password);
    const myCursor = (await mine.pullAll()).at(-1)!.cursor;
    const theirCursor = (await theirs.pullAll()).at(-1)!.cursor;
    const newEmail = `renamed-${agent.email}`;

    const response = await changeEmail(mine.token, {
      currentPassword: agent.password,
      newEmail: `  ${newEmail}  `,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: { id: agent.userId, name: expect.any(String), email: newEmail, role: 'agent' },
    });

    expectApiError(await login(tenant.slug, agent.email, agent.password), 401, 'unauthorized');
    const renewed = await login(tenant.slug, newEmail.toUpperCase(), agent.password);
    expect(renewed.status).toBe(200);
    expect(renewed.body.user).toMatchObject({ id: agent.userId, email: newEmail });
    // The caller's session goes on.
    expect((await logins(mine.token)).status).toBe(200);

    const myChanges = (await mine.pullAll(myCursor)).flatMap((page) => page.changes);
    const row = (entity: string) =>
      myChanges.find((c) => c.entity === entity && c.id === agent.userId);
    expect(row('user')).toMatchObject({ op: 'upsert', data: { email: newEmail } });
    expect(row('profile')).toMatchObject({ op: 'upsert', data: { email: newEmail } });
    const theirChanges = (await theirs.pullAll(theirCursor)).flatMap((page) => page.changes);
    expect(theirChanges.find((c) => c.entity === 'user' && c.id === agent.userId)).toMatchObject({
      data: { email: newEmail },
    });
  });

  it('allows a change of case only, and refuses the very same email as a bad request', async () => {
    const tenant = await freshTenant();
    const agent = tenant.agents[0]!;
    const { accessToken } = await t.api.login(tenant.slug, agent.email, agent.password);
    const same = await changeEmail(accessToken, {
      currentPassword: agent.password,
      newEmail: agent.email,
    });
    expectApiError(same, 400, 'bad_request');
    expect(same.body.error.details).toEqual([
      { path: 'newEmail', message: 'same as the current email' },
    ]);
    const upper = agent.email.toUpperCase();
    const cased = await changeEmail(accessToken, {
      currentPassword: agent.password,
      newEmail: upper,
    });
    expect(cased.status).toBe(200);
    expect(cased.body.user.email).toBe(upper);
  });

  it('refuses a wrong current password with 403, records it, and changes nothing', async () => {
    const tenant = await freshTenant();
    const agent = tenant.agents[0]!;
    const { accessToken } = await t.api.login(tenant.slug, agent.email, agent.password);
    const response = await changeEmail(accessToken, {
      currentPassword: 'not-the-password-1',
      newEmail: `other-${agent.email}`,
    });
    expectApiError(response, 403, 'wrong_password');
    expect((await login(tenant.slug, agent.email, agent.password)).status).toBe(200);
    expectApiError(
      await login(tenant.slug, `other-${agent.email}`, agent.password),
      401,
      'unauthorized',
    );
    const events = (await logins(accessToken)).body.events;
    expect(events.filter((e) => e.reason === 'wrong_current_password')).toEqual([
      expect.objectContaining({ success: false, email: agent.email, userId: agent.userId }),
    ]);
  });

  it.each([
    ['as written', (email: string) => email],
    ['in another case', (email: string) => email.toUpperCase()],
  ])('refuses an email another user has (%s) with 409 already_exists', async (_label, spell) => {
    const tenant = await freshTenant();
    const [agent, colleague] = tenant.agents as [
      (typeof tenant.agents)[0],
      (typeof tenant.agents)[0],
    ];
    const { accessToken } = await t.api.login(tenant.slug, agent.email, agent.password);
    const response = await changeEmail(accessToken, {
      currentPassword: agent.password,
      newEmail: spell(colleague.email),
    });
    expectApiError(response, 409, 'already_exists');
    expect(response.body.error.message).toMatch(/another user/i);
    expect((await login(tenant.slug, agent.email, agent.password)).body.user.id).toBe(agent.userId);
    expect((await login(tenant.slug, colleague.email, colleague.password)).body.user.id).toBe(
      colleague.userId,
    );
  });

  it('takes an email another tenant uses', async () => {
    const [first, second] = [await freshTenant(), await freshTenant()];
    const agent = first.agents[0]!;
    const { accessToken } = await t.api.login(first.slug, agent.email, agent.password);
    const response = await changeEmail(accessToken, {
      currentPassword: agent.password,
      newEmail: second.agents[0]!.email,
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['no address', 'not-an-email'],
    ['empty', ''],
    ['over 254 characters', `${'a'.repeat(250)}@x.test`],
  ])('refuses an invalid email (%s) with 400 naming the field', async (_label, newEmail) => {
    const tenant = await freshTenant();
    const agent = tenant.agents[0]!;
    const { accessToken } = await t.api.login(tenant.slug, agent.email, agent.password);
    const response = await changeEmail(accessToken, {
      currentPassword: agent.password,
      newEmail,
    });
    expectApiError(response, 400, 'bad_request');
    expect(response.body.error.details[0].path).toBe('newEmail');
  });

  it('limits wrong current passwords like log-ins: the correct one is refused too, then', async () => {
    const tenant = await freshTenant();
    const agent = tenant.agents[0]!;
    const { accessToken } = await t.api.login(tenant.slug, agent.email, agent.password);
    const newEmail = `limited-${agent.email}`;
    for (let i = 0; i < 5; i++) {
      const wrong = await changeEmail(accessToken, {
        currentPassword: `wrong-guess-number-${i}`,
        newEmail,
      });
      expectApiError(wrong, 403, 'wrong_password');
    }
    const limited = await changeEmail(accessToken, {
      currentPassword: agent.password,
      newEmail,
    });
    expectApiError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The same counter guards log-in and the password change.
    expectApiError(await login(tenant.slug, agent.email, agent.password), 429, 'rate_limited');
    const password = await t.api.call('POST', '/api/v1/account/password', {
      token: accessToken,
      body: { currentPassword: agent.password, newPassword: 'a-fresh-secret-for-this-1' },
    });
    expectApiError(password, 429, 'rate_limited');
  });

  it('needs a signed-in caller', async () => {
    const response = await changeEmail(undefined, {
      currentPassword: 'demo-password-1',
      newEmail: 'someone@acme.test',
    });
    expectApiError(response, 401, 'unauthorized');
  });
});
