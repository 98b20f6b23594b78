import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginHistoryResponse } from '../../../src-shared/protocol/account';
import { startTestServer, type TestServer } from '../../support/test-server';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
});
afterAll(() => t.close());

describe('GET /api/v1/account/logins', () => {
  it('shows an agent their own log-ins, good and bad, with time, IP address and device', async () => {
    await t.api.call('POST', '/api/v1/auth/login', {
      body: { tenant: 'acme', email: 'agent4@acme.test', password: 'wrong-password-here' },
      headers: { 'user-agent': 'HelpdeskTest/1.0' },
    });
    const tokens = await t.api.login('acme', 'agent4@acme.test');
    await t.api.login('acme', 'agent5@acme.test');
    const response = await t.api.call('GET', '/api/v1/account/logins', {
      token: tokens.accessToken,
    });
    expect(response.status).toBe(200);
    const { events } = LoginHistoryResponse.parse(response.body);
    expect(events.map((e) => e.success)).toEqual([true, false]);
    expect(events.every((e) => e.email === 'agent4@acme.test' && e.ip === '127.0.0.1')).toBe(true);
    expect(events[1]!.userAgent).toBe('HelpdeskTest/1.0');
    expect(events[1]!.reason).toBe('bad_credentials');
  });

  it("shows admins the tenant's log-ins and refuses them to agents", async () => {
    const admin = await t.api.login('acme', 'admin@acme.test');
    const agent = await t.api.login('acme', 'agent1@acme.test');
    const all = await t.api.call('GET', '/api/v1/account/logins?scope=tenant&limit=500', {
      token: admin.accessToken,
    });
    expect(all.status).toBe(200);
    const emails = new Set(LoginHistoryResponse.parse(all.body).events.map((e) => e.email));
    expect(emails).toContain('agent1@acme.test');
    expect(emails).toContain('admin@acme.test');
    expect([...emails].some((e) => e.endsWith('@globex.test'))).toBe(false);
    const refused = await t.api.call('GET', '/api/v1/account/logins?scope=tenant', {
      token: agent.accessToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });

  it('validates its query and needs a token', async () => {
    const agent = await t.api.login('acme', 'agent2@acme.test');
    for (const query of ['limit=0', 'limit=501', 'scope=everyone', 'extra=1']) {
      const response = await t.api.call('GET', `/api/v1/account/logins?${query}`, {
        token: agent.accessToken,
      });
      expect(response.status, query).toBe(400);
    }
    expect((await t.api.call('GET', '/api/v1/account/logins')).status).toBe(401);
  });
});
