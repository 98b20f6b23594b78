import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/test-server';

/**
 * The seed uses cookies "for internal use only". The service uses none at all: clients send bearer
 * tokens, so no answer, good or bad, signed in or not, ever sets a cookie.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ demo: true });
});
afterAll(async () => {
  await t?.close();
});

describe('cookies', () => {
  it('are never set, by any kind of answer', async () => {
    const login = await t.api.call('POST', '/api/v1/auth/login', {
      body: { tenant: 'acme', email: 'agent1@acme.test', password: 'demo-password-1' },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    const admin = await t.api.login('acme', 'admin@acme.test');
    const answers = [
      login,
      await t.api.call('GET', '/api/v1/health'),
      await t.api.call('POST', '/api/v1/auth/login', {
        body: { tenant: 'acme', email: 'agent1@acme.test', password: 'wrong-password-1' },
      }),
      await t.api.call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: login.body.refreshToken, clientId: randomUUID() },
      }),
      await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=5', {
        token,
        clientId: randomUUID(),
      }),
      await t.api.call('GET', '/api/v1/account/logins', { token }),
      await t.api.call('GET', '/api/v1/account/export', { token }),
      await t.api.call('GET', '/api/v1/admin/stats', { token: admin.accessToken }),
      await t.api.call('GET', '/api/v1/admin/stats', { token }),
      await t.api.call('GET', '/api/v1/no-such-endpoint'),
    ];
    expect(answers.map((a) => a.status)).toEqual([
      200, 200, 401, 200, 200, 200, 200, 200, 403, 404,
    ]);
    for (const answer of answers) expect(Object.keys(answer.headers)).not.toContain('set-cookie');
  });
});
