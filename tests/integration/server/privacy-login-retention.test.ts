import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LoginHistoryResponse } from '../../../src-shared/protocol/account';
import type { ServerOptions } from '../../../src-server/server';
import { runServerCli, signUpTenant } from '../../support/privacy-fixtures';
import { waitFor } from '../../support/sync-harness';
import { startTestServer, type TestServer } from '../../support/test-server';

const DAY_MS = 86_400_000;
const running: TestServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

/**
 * A service whose retention job runs every 100 ms, a tenant, and two log-in events of its admin
 * written straight to storage as if they had happened `oldDays` and `newDays` days ago.
 */
async function withAgedEvents(options: Partial<ServerOptions>, oldDays: number, newDays: number) {
  const t = await startTestServer({ purgeEveryMs: 100, ...options });
  running.push(t);
  const tenant = await signUpTenant(t.api, 'retention');
  const { admin } = tenant;
  const aged = (days: number) => ({
    id: randomUUID(),
    at: new Date(Date.now() - days * DAY_MS).toISOString(),
    email: admin.email,
    userId: admin.userId,
    ip: '192.0.2.7',
    userAgent: 'Aged/1.0',
    clientId: null,
    success: true,
    reason: 'ok' as const,
    tenantId: tenant.tenantId,
    tenantSlug: tenant.slug,
  });
  const old = aged(oldDays);
  const recent = aged(newDays);
  await t.server.storage.recordLoginEvent(old);
  await t.server.storage.recordLoginEvent(recent);
  const { accessToken } = await t.api.login(tenant.slug, admin.email, admin.password);
  const history = async () => {
    const response = await t.api.call('GET', '/api/v1/account/logins?limit=500', {
      token: accessToken,
    });
    return LoginHistoryResponse.parse(response.body).events.map((e) => e.id);
  };
  return { old: old.id, recent: recent.id, history };
}

describe('log-in history retention', () => {
  it('deletes events older than loginHistoryDays on the purge job and keeps newer ones', async () => {
    const { old, recent, history } = await withAgedEvents({ loginHistoryDays: 30 }, 31, 29);
    const left = await waitFor('the old event to be purged', async () => {
      const ids = await history();
      return !ids.includes(old) && ids;
    });
    expect(left).toContain(recent);
    // The log-ins made just now (sign-up set-up and the check itself) stay too.
    expect(left.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps 90 days by default', async () => {
    const { old, recent, history } = await withAgedEvents({}, 91, 89);
    const left = await waitFor('the 91-day-old event to be purged', async () => {
      const ids = await history();
      return !ids.includes(old) && ids;
    });
    expect(left).toContain(recent);
  });

  it('refuses a --login-history-days below one day', async () => {
    await expect(
      runServerCli('server.ts', [
        '--port',
        '0',
        '--data-dir',
        '/nonexistent',
        '--login-history-days',
        '0',
      ]),
    ).rejects.toMatchObject({ code: 2 });
  });
});
