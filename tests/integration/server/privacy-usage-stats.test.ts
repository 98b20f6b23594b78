import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatsResponse } from '../../../src-shared/protocol/admin';
import { usageStats } from '../../../src-server/app/usage-stats';
import { runServerCli, signUpTenant, type SignedUpTenant } from '../../support/privacy-fixtures';
import { startTestServer, type TestServer } from '../../support/test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const tenants: SignedUpTenant[] = [];
/** Every id, slug, name and address the service holds about the test's tenants. */
const identifiers: string[] = [];

/** A tenant of `users` people (admin included) whose admin files tickets from fresh contacts. */
async function smallTenant(label: string, users: number, tickets: Array<'new' | 'solved'>) {
  const tenant = await signUpTenant(t.api, label, users - 1);
  tenants.push(tenant);
  identifiers.push(tenant.tenantId, tenant.slug, label);
  for (const account of [tenant.admin, ...tenant.agents]) {
    identifiers.push(account.userId, account.email, account.email.split('@')[1]!);
  }
  const session = await t.api.session(tenant.slug, tenant.admin.email, tenant.admin.password);
  for (const status of tickets) {
    const contact = randomUUID();
    const ticket = randomUUID();
    identifiers.push(contact, ticket);
    const response = await session.send(
      { name: 'createContact', args: { id: contact, name: `Requester of ${label}` } },
      {
        name: 'createTicket',
        args: { id: ticket, subject: `Help ${label}`, description: '', requesterId: contact },
      },
      ...(status === 'new'
        ? []
        : [{ name: 'setTicketFields', args: { ticketId: ticket, fields: { status } } }]),
    );
    expect(response.body.results.every((r: { status: string }) => r.status === 'applied')).toBe(
      true,
    );
  }
}

describe('service-wide usage statistics (tsx src-server/cli/usage-stats.ts)', () => {
  it('suppresses every bucket of fewer than 5 people across small tenants', async () => {
    await smallTenant('alpha', 1, ['new']);
    await smallTenant('bravo', 2, ['new']);
    await smallTenant('charlie', 3, ['new']);
    await smallTenant('delta', 4, ['new']);
    // Four requesters and four signed-in admins: nothing may be shown yet.
    const before = await usageStats(t.server.storage, null, 30, new Date());
    expect(before.ticketsByStatus).toEqual([]);
    expect(before.ticketsByDay).toEqual([]);
    expect(before.suppressedBuckets).toBe(2);
    expect(before.activeUsers).toBeNull();
  });

  it('shows a bucket once 5 people are behind it, still hides the small ones, and names no one', async () => {
    await smallTenant('echo', 1, ['new']);
    await smallTenant('foxtrot', 2, ['solved']);
    const output = await runServerCli(
      'usage-stats.ts',
      ['--data-dir', t.dataDir, '--days', '7'],
      t.cliEnv,
    );
    const stats = StatsResponse.parse(JSON.parse(output));
    const today = new Date().toISOString().slice(0, 10);
    expect(stats.minBucketSize).toBe(5);
    expect(stats.days).toBe(7);
    expect(stats.ticketsByStatus).toEqual([{ status: 'new', tickets: 5 }]);
    expect(stats.ticketsByDay).toEqual([{ day: today, status: 'new', tickets: 5 }]);
    expect(stats.suppressedBuckets).toBe(2);
    expect(stats.activeUsers).toBe(6);
    expect(Object.keys(JSON.parse(output) as object).sort()).toEqual(
      Object.keys(StatsResponse.shape).sort(),
    );
    for (const id of identifiers) expect(output.toLowerCase()).not.toContain(id.toLowerCase());
    expect(output).not.toMatch(/@|[0-9a-f]{8}-[0-9a-f]{4}-/i);
  });
});
