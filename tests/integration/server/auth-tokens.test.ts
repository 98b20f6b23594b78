import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenResponse } from '../../../src-shared/protocol/auth';
import { TokenSigner, type AccessClaims } from '../../../src-server/auth/tokens';
import type { ApiResponse } from '../../support/api-client';
import { startTestServer, type TestServer } from '../../support/test-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestServer;
let adminToken: string;

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  adminToken = (await t.api.login('acme', 'admin@acme.test')).accessToken;
});
afterAll(() => t?.close());

function refresh(
  refreshToken: string,
  clientId: string,
  api = t.api,
): Promise<ApiResponse<TokenResponse>> {
  return api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken, clientId } });
}

function logout(refreshToken: string): Promise<ApiResponse> {
  return t.api.call('POST', '/api/v1/auth/logout', { body: { refreshToken } });
}

/** An authenticated call: a one-change pull with a fresh client id. */
function probe(accessToken: string, api = t.api): Promise<ApiResponse> {
  return api.call('GET', '/api/v1/sync/pull?cursor=0&limit=1', {
    token: accessToken,
    clientId: randomUUID(),
  });
}

function expect401(response: ApiResponse, code = 'unauthorized'): void {
  expect(response.status).toBe(401);
  expect(response.body.error.code).toBe(code);
  expect(response.body).not.toHaveProperty('accessToken');
}

/** A fresh agent of acme, so that revoking or promoting it disturbs no other test. */
async function newAgent(): Promise<{ id: string; email: string; password: string }> {
  const email = `tokens-${randomUUID().slice(0, 8)}@acme.test`;
  const password = 'tokens-password-1';
  const response = await t.api.call('POST', '/api/v1/admin/users', {
    token: adminToken,
    body: { name: 'Token Tester', email, role: 'agent', password },
  });
  expect(response.status).toBe(201);
  return { id: response.body.user.id, email, password };
}

function decodeClaims(accessToken: string): AccessClaims {
  const payload = accessToken.slice('at_'.length, accessToken.lastIndexOf('.'));
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessClaims;
}

describe('POST /api/v1/auth/refresh', () => {
  it('rotates: a new pair in the shape of a log-in, while the old access token stays valid', async () => {
    const login = await t.api.login('acme', 'agent1@acme.test');
    const response = await refresh(login.refreshToken, randomUUID());
    expect(response.status).toBe(200);
    const pair = response.body;
    expect(Object.keys(pair).sort()).toEqual([
      'accessToken',
      'epoch',
      'expiresIn',
      'refreshToken',
      'tenant',
      'user',
    ]);
    expect(pair.user).toEqual(login.user);
    expect(pair.tenant).toEqual(login.tenant);
    expect(pair.epoch).toBe(login.epoch);
    expect(pair.expiresIn).toBeGreaterThanOrEqual(895);
    expect(pair.expiresIn).toBeLessThanOrEqual(900);
    expect(pair.refreshToken).not.toBe(login.refreshToken);
    expect(pair.accessToken).not.toBe(login.accessToken);
    expect((await probe(pair.accessToken)).status).toBe(200);
    expect((await probe(login.accessToken)).status).toBe(200);
    // The new refresh token rotates in turn.
    const next = await refresh(pair.refreshToken, randomUUID());
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(pair.refreshToken);
    expect((await probe(next.body.accessToken)).status).toBe(200);
  });

  it('answers a repeat with the same client id within the grace with the very same pair', async () => {
    const login = await t.api.login('acme', 'agent1@acme.test');
    const clientId = randomUUID();
    const first = await refresh(login.refreshToken, clientId);
    const again = await refresh(login.refreshToken, clientId);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.accessToken).toBe(first.body.accessToken);
    expect(again.body.refreshToken).toBe(first.body.refreshToken);
    // Nothing was revoked: the pair works and rotates once more.
    expect((await probe(first.body.accessToken)).status).toBe(200);
    const next = await refresh(first.body.refreshToken, clientId);
    expect(next.status).toBe(200);
    expect((await probe(next.body.accessToken)).status).toBe(200);
  });

  it('answers two concurrent refreshes of one token by one client with one pair', async () => {
    const login = await t.api.login('acme', 'agent2@acme.test');
    const clientId = randomUUID();
    const [a, b] = await Promise.all([
      refresh(login.refreshToken, clientId),
      refresh(login.refreshToken, clientId),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refreshToken).toBe(b.body.refreshToken);
    expect(a.body.accessToken).toBe(b.body.accessToken);
    expect((await probe(a.body.accessToken)).status).toBe(200);
  });

  it('revokes the whole chain when the token comes back from another client', async () => {
    const login = await t.api.login('acme', 'agent1@acme.test');
    const first = await refresh(login.refreshToken, randomUUID());
    expect(first.status).toBe(200);
    expect401(await refresh(login.refreshToken, randomUUID()));
    expect401(await probe(first.body.accessToken));
    expect401(await probe(login.accessToken));
    expect401(await refresh(first.body.refreshToken, randomUUID()));
  });

  it('revokes the whole chain when a token comes back after its successor was used', async () => {
    const login = await t.api.login('acme', 'agent1@acme.test');
    const clientId = randomUUID();
    const first = await refresh(login.refreshToken, clientId);
    const second = await refresh(first.body.refreshToken, clientId);
    expect([first.status, second.status]).toEqual([200, 200]);
    // Same client, within the grace, but the child has been used: this is reuse.
    expect401(await refresh(login.refreshToken, clientId));
    expect401(await probe(second.body.accessToken));
    expect401(await probe(first.body.accessToken));
    expect401(await refresh(second.body.refreshToken, clientId));
  });

  it('leaves other sessions of the same user alone when one chain is revoked', async () => {
    const agent = await newAgent();
    const a = await t.api.login('acme', agent.email, agent.password);
    const b = await t.api.login('acme', agent.email, agent.password);
    await refresh(a.refreshToken, randomUUID());
    expect401(await refresh(a.refreshToken, randomUUID()));
    expect401(await probe(a.accessToken));
    expect((await probe(b.accessToken)).status).toBe(200);
    expect((await refresh(b.refreshToken, randomUUID())).status).toBe(200);
  });

  it.each([
    ['garbage', 'garbage'],
    [
      'a well-formed token of unknown id',
      'rt_AAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    ['an empty-looking token', 'rt_.'],
  ])('answers %s with 401', async (_label, token) => {
    expect401(await refresh(token, randomUUID()));
  });

  it('does not take an access token as a refresh token', async () => {
    const login = await t.api.login('acme', 'agent3@acme.test');
    expect401(await refresh(login.accessToken, randomUUID()));
    // ...and that attempt did not revoke anything.
    expect((await refresh(login.refreshToken, randomUUID())).status).toBe(200);
  });

  it.each([
    ['no clientId', (rt: string) => ({ refreshToken: rt })],
    ['a clientId that is not a UUID', (rt: string) => ({ refreshToken: rt, clientId: 'client-1' })],
    ['no refreshToken', () => ({ clientId: randomUUID() })],
    [
      'an unknown field',
      (rt: string) => ({ refreshToken: rt, clientId: randomUUID(), scope: 'admin' }),
    ],
  ])('rejects %s with 400 bad_request', async (_label, make) => {
    const login = await t.api.login('acme', 'agent3@acme.test');
    const response = await t.api.call('POST', '/api/v1/auth/refresh', {
      body: make(login.refreshToken),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('answers 204 and ends the session: its refresh and access tokens answer 401', async () => {
    const login = await t.api.login('acme', 'agent4@acme.test');
    expect((await probe(login.accessToken)).status).toBe(200);
    const response = await logout(login.refreshToken);
    expect(response.status).toBe(204);
    expect(response.body).toBe('');
    expect401(await refresh(login.refreshToken, randomUUID()));
    expect401(await probe(login.accessToken));
  });

  it('ends the whole chain when given a rotated token, without an access token', async () => {
    const login = await t.api.login('acme', 'agent4@acme.test');
    const first = await refresh(login.refreshToken, randomUUID());
    expect((await logout(first.body.refreshToken)).status).toBe(204);
    expect401(await probe(login.accessToken));
    expect401(await probe(first.body.accessToken));
    expect401(await refresh(first.body.refreshToken, randomUUID()));
  });

  it('answers 204 for unknown, garbage, forged and already revoked tokens', async () => {
    const login = await t.api.login('acme', 'agent4@acme.test');
    const other = await t.api.login('acme', 'agent5@acme.test');
    expect((await logout(login.refreshToken)).status).toBe(204);
    expect((await logout(login.refreshToken)).status).toBe(204);
    expect((await logout('garbage')).status).toBe(204);
    expect((await logout('rt_unknown-token-id.c2lnbmF0dXJl')).status).toBe(204);
    const forged = new TokenSigner(randomBytes(32)).refreshToken('some-id');
    expect((await logout(forged)).status).toBe(204);
    // A refresh token's id under a foreign key does not end the real session.
    const realId = other.refreshToken.slice(3, other.refreshToken.lastIndexOf('.'));
    expect((await logout(new TokenSigner(randomBytes(32)).refreshToken(realId))).status).toBe(204);
    expect((await probe(other.accessToken)).status).toBe(200);
    expect((await refresh(other.refreshToken, randomUUID())).status).toBe(200);
  });

  it('rejects a body without refreshToken with 400', async () => {
    const response = await t.api.call('POST', '/api/v1/auth/logout', { body: {} });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });
});

describe('access tokens', () => {
  it.each([
    ['no Authorization header', undefined],
    ['the token without "Bearer"', (at: string) => at],
    ['"Bearer" without a token', () => 'Bearer '],
    ['another scheme', (at: string) => `Basic ${at}`],
    ['garbage', () => 'Bearer garbage'],
    ['a garbage header', () => '!!!'],
    ['two tokens', (at: string) => `Bearer ${at} ${at}`],
  ])('answers %s with 401', async (_label, header) => {
    const login = await t.api.login('acme', 'agent5@acme.test');
    const headers = header ? { authorization: header(login.accessToken) } : undefined;
    const response = await t.api.call('GET', '/api/v1/sync/pull?cursor=0&limit=1', {
      clientId: randomUUID(),
      ...(headers ? { headers } : {}),
    });
    expect401(response);
    // The same request with the token done right works.
    expect((await probe(login.accessToken)).status).toBe(200);
  });

  it('does not take a refresh token as an access token', async () => {
    const login = await t.api.login('acme', 'agent5@acme.test');
    expect401(await probe(login.refreshToken));
  });

  it('refuses tampered signatures and payloads', async () => {
    const login = await t.api.login('acme', 'agent5@acme.test');
    const token = login.accessToken;
    const dot = token.lastIndexOf('.');
    const payload = token.slice(0, dot);
    const mac = token.slice(dot + 1);
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');

    expect401(await probe(`${payload}.${flip(mac[0]!)}${mac.slice(1)}`));
    expect401(await probe(`${payload}.${mac.slice(0, -1)}${flip(mac.at(-1)!)}`));
    expect401(await probe(`${payload}.${mac.slice(0, -2)}`));
    expect401(await probe(`${payload}.`));

    const claims = decodeClaims(token);
    const reencode = (c: AccessClaims) =>
      `at_${Buffer.from(JSON.stringify(c)).toString('base64url')}.${mac}`;
    expect401(await probe(reencode({ ...claims, exp: claims.exp + 86_400 })));
    const otherSession = decodeClaims((await t.api.login('acme', 'admin@acme.test')).accessToken);
    expect401(await probe(reencode({ ...claims, sid: otherSession.sid })));
    // The untouched token still works.
    expect((await probe(token)).status).toBe(200);
  });

  it('refuses a token for a real session signed with another key, and accepts it under the real key', async () => {
    const login = await t.api.login('acme', 'agent5@acme.test');
    const claims = decodeClaims(login.accessToken);
    const forged = new TokenSigner(randomBytes(32)).accessToken(claims);
    expect(forged).not.toBe(login.accessToken);
    expect401(await probe(forged));
    // Control: the same claims signed with this server's own key are accepted, so the check above
    // really was about the key.
    const realKey = Buffer.from(
      readFileSync(join(t.dataDir, 'secret.key'), 'utf8').trim(),
      'base64',
    );
    const genuine = new TokenSigner(realKey).accessToken(claims);
    expect(genuine).toBe(login.accessToken);
    expect((await probe(genuine)).status).toBe(200);
  });

  it('makes an existing pull cursor expire (410) on a role change, while a pull from 0 works', async () => {
    const agent = await newAgent();
    const session = await t.api.session('acme', agent.email, agent.password);
    const pages = await session.pullAll('0', 5000);
    const cursor = pages.at(-1)!.cursor;
    expect((await session.pull(cursor)).status).toBe(200);
    expect((await t.api.call('GET', '/api/v1/admin/stats', { token: session.token })).status).toBe(
      403,
    );

    const promote = await t.api.call('PATCH', `/api/v1/admin/users/${agent.id}`, {
      token: adminToken,
      body: { role: 'admin' },
    });
    expect(promote.status).toBe(200);
    expect(promote.body.user).toMatchObject({ id: agent.id, role: 'admin', active: true });

    const expired: ApiResponse = await session.pull(cursor);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('cursor_expired');
    // The same access token keeps working, now with the new role.
    const restart = await session.pullAll('0', 5000);
    const changes = restart.flatMap((p) => p.changes);
    expect(changes.find((c) => c.entity === 'profile')).toMatchObject({
      data: { id: agent.id, role: 'admin' },
    });
    expect(changes.find((c) => c.entity === 'company')).toMatchObject({
      data: { seats: expect.any(Number) },
    });
    const newCursor = restart.at(-1)!.cursor;
    expect((await session.pull(newCursor)).status).toBe(200);
    expect((await t.api.call('GET', '/api/v1/admin/stats', { token: session.token })).status).toBe(
      200,
    );

    // Setting the role it already has changes nothing: the cursor stays valid.
    const same = await t.api.call('PATCH', `/api/v1/admin/users/${agent.id}`, {
      token: adminToken,
      body: { role: 'admin' },
    });
    expect(same.status).toBe(200);
    expect((await session.pull(newCursor)).status).toBe(200);

    // Demoted again: the newer cursor expires in turn.
    const demote = await t.api.call('PATCH', `/api/v1/admin/users/${agent.id}`, {
      token: adminToken,
      body: { role: 'agent' },
    });
    expect(demote.status).toBe(200);
    expect((await session.pull(newCursor)).status).toBe(410);
    expect((await session.pull('0')).status).toBe(200);
    expect((await t.api.call('GET', '/api/v1/admin/stats', { token: session.token })).status).toBe(
      403,
    );
  });
});

describe('expiry (own server: 1 s access tokens, 1 s grace)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      demo: true,
      authPolicy: { accessTokenSeconds: 1, refreshGraceSeconds: 1 },
    });
  });
  afterAll(() => s?.close());

  it('answers 401 to an expired access token, and to a refresh token reused after the grace', async () => {
    const login = await s.api.login('acme', 'agent1@acme.test');
    expect(login.expiresIn).toBe(1);
    const clientId = randomUUID();
    const first = await refresh(login.refreshToken, clientId, s.api);
    expect(first.status).toBe(200);
    expect(first.body.expiresIn).toBe(1);
    await sleep(1500);

    const expired = await probe(login.accessToken, s.api);
    expect401(expired);
    expect401(await probe(first.body.accessToken, s.api));

    // The reuse comes after the grace: the chain is revoked, the unused child included.
    expect401(await refresh(login.refreshToken, clientId, s.api));
    expect401(await refresh(first.body.refreshToken, clientId, s.api));
  });

  it('still refreshes a session whose access token has expired', async () => {
    const login = await s.api.login('acme', 'agent2@acme.test');
    await sleep(1200);
    expect401(await probe(login.accessToken, s.api));
    const next = await refresh(login.refreshToken, randomUUID(), s.api);
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(login.refreshToken);
    expect(next.body.user.email).toBe('agent2@acme.test');
  });

  it('does not accept tokens minted by another server instance', async () => {
    // `s` has its own data folder and so its own key; its tokens mean nothing to `t` and back.
    const foreign = await s.api.login('acme', 'admin@acme.test');
    expect401(await probe(foreign.accessToken));
    expect401(await refresh(foreign.refreshToken, randomUUID()));
    const local = await t.api.login('acme', 'admin@acme.test');
    expect401(await probe(local.accessToken, s.api));
  });
});
