import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenResponse } from '../../../src-shared/protocol/auth';
import { findInServiceData } from '../../support/service-data';
import { serviceSql } from '../../support/service-db';
import { startTestServer, type TestServer } from '../../support/test-server';

/** Distinctive secrets: none of them may be found in any file or log line. */
const run = randomUUID().slice(0, 8);
const SECRETS = {
  adminA: `Correct-Horse-A-${run}-ß漢`,
  adminB: `Battery-Staple-B-${run}`,
  wrong: `Wrong-Guess-${run}-never-valid`,
  rejected: `Rejected-Signup-${run}`,
  created: `Created-By-Admin-${run}`,
  changed: `Changed-Later-${run}-ø`,
  setByToken: `Set-By-Token-${run}`,
  card: '4111111111111111',
};
const CANARY_BEARER = `canary-bearer-${run}`;
/** Password setup tokens the service handed out: as secret as passwords. */
const SETUP_TOKENS: Record<string, string> = {};

let dataDir: string;
let t: TestServer;
let closed = false;
const tokens: string[] = [];

/** Every (place, secret) pair where the service stores the secret: data folder and database. */
async function findStored(needles: Record<string, string>): Promise<string[]> {
  return (await findInServiceData(t, needles)).hits;
}

function keep(response: TokenResponse): TokenResponse {
  tokens.push(response.accessToken, response.refreshToken);
  return response;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-secrets-'));
  t = await startTestServer({ dataDir });
  const api = t.api;
  const signup = (body: unknown) => api.call('POST', '/api/v1/auth/signup', { body });

  const a = await signup({
    company: { name: `Secret Keepers ${run}`, phone: '+1 555 0100' },
    user: {
      name: 'Alice Admin',
      email: `alice-${run}@secrets.test`,
      password: SECRETS.adminA,
      title: 'Owner',
    },
    seats: 10,
    newsletter: true,
  });
  const b = await signup({
    company: { name: `Other Vault ${run}` },
    user: { name: 'Bob Admin', email: `bob-${run}@secrets.test`, password: SECRETS.adminB },
    seats: 3,
  });
  expect([a.status, b.status]).toEqual([201, 201]);
  const rejected = await signup({
    company: { name: `Card Holders ${run}`, cardNumber: SECRETS.card },
    user: {
      name: 'Carl Card',
      email: `carl-${run}@secrets.test`,
      password: SECRETS.rejected,
      creditCard: SECRETS.card,
    },
    seats: 1,
  });
  expect(rejected.status).toBe(400);

  const slugA: string = a.body.tenant.slug;
  const slugB: string = b.body.tenant.slug;
  // Good and bad log-ins, refreshes, a logout, authenticated calls.
  const loginA = keep(
    await api.login(slugA, `alice-${run}@secrets.test`, SECRETS.adminA, randomUUID()),
  );
  for (let i = 0; i < 2; i++) {
    const bad = await api.call('POST', '/api/v1/auth/login', {
      body: { tenant: slugA, email: `alice-${run}@secrets.test`, password: SECRETS.wrong },
    });
    expect(bad.status).toBe(401);
  }
  const badTenant = await api.call('POST', '/api/v1/auth/login', {
    body: {
      tenant: 'no-such-tenant',
      email: `alice-${run}@secrets.test`,
      password: SECRETS.adminA,
    },
  });
  expect(badTenant.status).toBe(401);
  let current = loginA;
  for (let i = 0; i < 3; i++) {
    const r = await api.call<TokenResponse>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: current.refreshToken, clientId: randomUUID() },
    });
    expect(r.status).toBe(200);
    current = keep(r.body);
  }
  const clientId = randomUUID();
  const pull = await api.call('GET', '/api/v1/sync/pull?cursor=0', {
    token: current.accessToken,
    clientId,
  });
  expect(pull.status).toBe(200);
  const create = await api.call('POST', '/api/v1/admin/users', {
    token: current.accessToken,
    body: {
      name: 'Dana Agent',
      email: `dana-${run}@secrets.test`,
      role: 'agent',
      password: SECRETS.created,
    },
  });
  expect(create.status).toBe(201);
  const twin = await api.call('POST', '/api/v1/admin/users', {
    token: current.accessToken,
    body: {
      name: 'Erin Agent',
      email: `erin-${run}@secrets.test`,
      role: 'agent',
      password: SECRETS.created,
    },
  });
  expect(twin.status).toBe(201);
  keep(await api.login(slugA, `dana-${run}@secrets.test`, SECRETS.created));
  const loginB = keep(await api.login(slugB, `bob-${run}@secrets.test`, SECRETS.adminB));
  expect(
    (await api.call('POST', '/api/v1/auth/logout', { body: { refreshToken: loginB.refreshToken } }))
      .status,
  ).toBe(204);
  // A stale token after logout, a forged bearer, and a failing call that logs an error path.
  expect((await api.call('GET', '/api/v1/admin/stats', { token: loginB.accessToken })).status).toBe(
    401,
  );
  expect(
    (
      await api.call('GET', '/api/v1/admin/stats', {
        headers: { authorization: `Bearer ${CANARY_BEARER}` },
      })
    ).status,
  ).toBe(401);
  expect(
    (
      await api.call('POST', '/api/v1/sync/push', {
        token: current.accessToken,
        clientId,
        body: { clientId, mutations: 'not a list' },
      })
    ).status,
  ).toBe(400);
  // Password change (a wrong current password first), an admin's reset and the agent's setup.
  const change = (currentPassword: string) =>
    api.call('POST', '/api/v1/account/password', {
      token: current.accessToken,
      body: { currentPassword, newPassword: SECRETS.changed },
    });
  expect((await change(SECRETS.wrong)).status).toBe(403);
  expect((await change(SECRETS.adminA)).status).toBe(204);
  const reset = await api.call('POST', `/api/v1/admin/users/${twin.body.user.id}/reset-password`, {
    token: current.accessToken,
    body: {},
  });
  expect(reset.status).toBe(200);
  SETUP_TOKENS.reset = reset.body.setup.setupToken;
  const setPassword = await api.call('POST', '/api/v1/auth/set-password', {
    body: {
      tenant: slugA,
      email: `erin-${run}@secrets.test`,
      setupToken: SETUP_TOKENS.reset,
      newPassword: SECRETS.setByToken,
    },
  });
  expect(setPassword.status).toBe(204);
});

afterAll(async () => {
  if (!closed) await t?.server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('secrets at rest and in logs', () => {
  it('keeps clear passwords and card numbers out of every file of the data folder and the database', async () => {
    // The search covers the database: the SQLite file with its WAL, or every PostgreSQL text column.
    const { places } = await findInServiceData(t, {});
    expect(places).toEqual(
      expect.arrayContaining(
        t.databaseUrl
          ? ['users.password_hash', 'records.data', 'login_events.email_key']
          : ['helpdesk.sqlite', 'helpdesk.sqlite-wal'],
      ),
    );
    // Control: what the service does store (an email, a company name) is found by the same search.
    expect((await findStored({ email: `alice-${run}@secrets.test` })).length).toBeGreaterThan(0);
    expect((await findStored({ company: `Other Vault ${run}` })).length).toBeGreaterThan(0);
    expect(await findStored(SECRETS)).toEqual([]);
    expect(await findStored(SETUP_TOKENS)).toEqual([]);
  });

  it('keeps whole tokens out of every file of the data folder and the database', async () => {
    expect(tokens).toHaveLength(12);
    const needles = Object.fromEntries(tokens.map((token, i) => [`token ${i}`, token]));
    expect(await findStored(needles)).toEqual([]);
  });

  it('stores salted scrypt hashes only', async () => {
    const rows = await serviceSql<{ email: string; password_hash: string }>(
      t,
      'SELECT email, password_hash FROM users',
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.password_hash.startsWith('scrypt$')).toBe(true);
      const parts = row.password_hash.split('$');
      expect(parts).toHaveLength(6);
      expect(Number(parts[1])).toBeGreaterThanOrEqual(1 << 14);
      expect(Buffer.from(parts[4]!, 'base64').length).toBeGreaterThanOrEqual(16);
      expect(Buffer.from(parts[5]!, 'base64').length).toBeGreaterThanOrEqual(32);
      for (const secret of Object.values(SECRETS)) expect(row.password_hash).not.toContain(secret);
    }
    // Two users with one password get different hashes (the salt differs).
    const same = rows.filter((r) => r.email.startsWith('dana-') || r.email.startsWith('erin-'));
    expect(same).toHaveLength(2);
    expect(same[0]!.password_hash).not.toBe(same[1]!.password_hash);
    // Nothing in the database remembers the rejected sign-up.
    const [count] = await serviceSql<{ n: number | string }>(
      t,
      'SELECT count(*) AS n FROM tenants',
    );
    expect(Number(count!.n)).toBe(2);
  });

  it('writes no password, card number, token or Authorization value to the logs', () => {
    // Control: the requests were logged at all.
    expect(t.logs.length).toBeGreaterThan(20);
    expect(t.logs.some((line) => line.includes('/api/v1/auth/login'))).toBe(true);
    expect(t.logs.some((line) => line.includes('/api/v1/auth/refresh'))).toBe(true);
    expect(t.logs.some((line) => line.includes('/api/v1/account/password'))).toBe(true);
    expect(t.logs.some((line) => line.includes('/api/v1/auth/set-password'))).toBe(true);
    const needles = [
      ...Object.values(SECRETS),
      ...Object.values(SETUP_TOKENS),
      ...tokens,
      CANARY_BEARER,
    ];
    const leaks = t.logs.flatMap((line) =>
      needles
        .filter((needle) => line.includes(needle))
        .map((needle) => `${needle.slice(0, 12)}… in ${line}`),
    );
    expect(leaks).toEqual([]);
    for (const line of t.logs) {
      expect(line).not.toMatch(/Bearer\s/i);
      expect(line).not.toMatch(/"authorization"\s*:\s*"(?!\[Redacted\])/i);
      expect(line).not.toMatch(/\b(at|rt)_[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{20,}/);
    }
  });

  it('keeps them out after a clean shutdown too (WAL checkpointed)', async () => {
    await t.server.close();
    closed = true;
    expect((await findStored({ email: `alice-${run}@secrets.test` })).length).toBeGreaterThan(0);
    expect(await findStored(SECRETS)).toEqual([]);
    expect(await findStored(SETUP_TOKENS)).toEqual([]);
    expect(
      await findStored(Object.fromEntries(tokens.map((token, i) => [`token ${i}`, token]))),
    ).toEqual([]);
  });
});
