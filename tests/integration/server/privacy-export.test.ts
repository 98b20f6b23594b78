import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountExport } from '../../../src-shared/protocol/account';
import type { TokenResponse } from '../../../src-shared/protocol/auth';
import { signUpTenant, type SignedUpTenant } from '../../support/privacy-fixtures';
import { serviceSql } from '../../support/service-db';
import { startTestServer, type TestServer } from '../../support/test-server';

let t: TestServer;
let tenant: SignedUpTenant;
const ids = {
  contact: randomUUID(),
  own: randomUUID(),
  assigned: randomUUID(),
  other: randomUUID(),
};
const comments = { mine: randomUUID(), theirs: randomUUID() };

beforeAll(async () => {
  t = await startTestServer();
  tenant = await signUpTenant(t.api, 'export', 2);
  const [agent, colleague] = tenant.agents as [
    (typeof tenant.agents)[0],
    (typeof tenant.agents)[0],
  ];
  const mine = await t.api.session(tenant.slug, agent.email, agent.password);
  const theirs = await t.api.session(tenant.slug, colleague.email, colleague.password);
  const ticket = (id: string, subject: string, assigneeId: string | null = null) => ({
    name: 'createTicket',
    args: { id, subject, description: '', requesterId: ids.contact, assigneeId },
  });
  const pushed = [
    await mine.send(
      { name: 'createContact', args: { id: ids.contact, name: 'Casey Customer' } },
      ticket(ids.own, 'Raised by the agent'),
      {
        name: 'addComment',
        args: { id: comments.mine, ticketId: ids.own, body: 'On it.', public: true },
      },
    ),
    await theirs.send(
      ticket(ids.assigned, 'Handed to the agent', agent.userId),
      ticket(ids.other, "The colleague's own"),
      {
        name: 'addComment',
        args: { id: comments.theirs, ticketId: ids.own, body: 'Colleague note.', public: false },
      },
    ),
  ];
  for (const response of pushed) {
    expect(response.body.results.map((r: { status: string }) => r.status)).not.toContain(
      'rejected',
    );
  }
  await t.api.call('POST', '/api/v1/auth/login', {
    body: { tenant: tenant.slug, email: agent.email, password: 'not-the-password-1' },
  }); // Three operator accesses, audited as the operator path writes them.
  const access = (scope: 'ticket_list' | 'ticket', ticketId: string | null) =>
    t.server.storage.openSupportAccess({
      id: randomUUID(),
      tenantId: tenant.tenantId,
      operatorId: randomUUID(),
      operatorEmail: 'ops@service.test',
      at: new Date().toISOString(),
      reason: `Support case about ${ticketId ?? 'the list'}`,
      scope,
      ticketId,
      listLimit: 10,
    });
  await access('ticket_list', null);
  await access('ticket', ids.assigned);
  await access('ticket', ids.other);
});
afterAll(async () => {
  await t?.close();
});

async function loginWithDevice(device: string): Promise<TokenResponse> {
  const agent = tenant.agents[0]!;
  const response = await t.api.call<TokenResponse>('POST', '/api/v1/auth/login', {
    body: { tenant: tenant.slug, email: agent.email, password: agent.password },
    headers: { 'user-agent': device },
  });
  expect(response.status).toBe(200);
  return response.body;
}

describe('GET /api/v1/account/export', () => {
  it("gives the caller everything the service holds about them, and nobody else's data", async () => {
    const tokens = await loginWithDevice('ExportTest/1.0');
    const response = await t.api.call('GET', '/api/v1/account/export', {
      token: tokens.accessToken,
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="helpdesk-export-/,
    );
    const data = AccountExport.parse(response.body);
    const agent = tenant.agents[0]!;
    expect(data.account).toMatchObject({
      id: agent.userId,
      tenant: tenant.slug,
      email: agent.email,
      name: 'Agent 1 of export',
      role: 'agent',
      active: true,
    });
    expect(data.profile).toMatchObject({ id: agent.userId, email: agent.email });
    expect(data.preferences).toMatchObject({ newsletter: false, productUpdates: true });
    expect(data.preferenceChanges.map((c) => c.source)).toEqual([
      'account_created',
      'account_created',
    ]);
    expect(data.logins.map((e) => e.success)).toEqual(expect.arrayContaining([true, false]));
    expect(data.logins.every((e) => e.userId === agent.userId || e.email === agent.email)).toBe(
      true,
    );
    expect(data.sessions.map((s) => s.device)).toContain('ExportTest/1.0');
    expect(data.tickets.map((x) => x.id).sort()).toEqual([ids.own, ids.assigned].sort());
    expect(data.comments.map((c) => c.id)).toEqual([comments.mine]);
    expect(data.supportAccess.map((a) => a.ticketId).sort()).toEqual([ids.assigned, null].sort());
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(tenant.agents[1]!.email);
    expect(text).not.toContain(tenant.admin.email);
  });

  it('never contains password hashes, token material or session ids', async () => {
    const tokens = await loginWithDevice('ExportTest/2.0');
    const response = await t.api.call('GET', '/api/v1/account/export', {
      token: tokens.accessToken,
    });
    const text = JSON.stringify(response.body);
    expect(text).not.toMatch(/hash|scrypt|\$[0-9a-z]+\$/i);
    expect(text).not.toContain(tokens.refreshToken);
    expect(text).not.toContain(tokens.accessToken);
    const agentId = tenant.agents[0]!.userId;
    const column = async (sql: string) =>
      (await serviceSql<{ value: string }>(t, sql, [agentId])).map((row) => row.value);
    const secrets = [
      ...(await column('SELECT password_hash AS value FROM users WHERE id = ?')),
      ...(await column('SELECT id AS value FROM sessions WHERE user_id = ?')),
      ...(await column(
        `SELECT t.id AS value FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
         WHERE s.user_id = ?`,
      )),
    ];
    expect(secrets.length).toBeGreaterThan(2);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('needs a token', async () => {
    const response = await t.api.call('GET', '/api/v1/account/export');
    expect(response.status).toBe(401);
  });
});
