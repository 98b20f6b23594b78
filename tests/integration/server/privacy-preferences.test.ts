import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preferences } from '../../../src-shared/domain/entities';
import { AccountExport } from '../../../src-shared/protocol/account';
import { exportMailingList } from '../../../src-server/app/mailing-list';
import type { MailingListName } from '../../../src-server/storage/privacy-storage';
import {
  runServerCli,
  signUpTenant,
  type Account,
  type SignedUpTenant,
} from '../../support/privacy-fixtures';
import { startTestServer, type TestServer } from '../../support/test-server';

let t: TestServer;
let acme: SignedUpTenant;

beforeAll(async () => {
  t = await startTestServer();
  acme = await signUpTenant(t.api, 'prefs', 3);
});
afterAll(() => t.close());

async function preferencesOf(tenant: SignedUpTenant, account: Account): Promise<Preferences> {
  const session = await t.api.session(tenant.slug, account.email, account.password);
  const changes = (await session.pullAll()).flatMap((page) => page.changes);
  const row = changes.find((c) => c.entity === 'preferences');
  return (row as unknown as { data: Preferences }).data;
}

async function exportOf(tenant: SignedUpTenant, account: Account): Promise<AccountExport> {
  const { accessToken } = await t.api.login(tenant.slug, account.email, account.password);
  const response = await t.api.call('GET', '/api/v1/account/export', { token: accessToken });
  expect(response.status).toBe(200);
  return AccountExport.parse(response.body);
}

async function setPreferences(
  tenant: SignedUpTenant,
  account: Account,
  args: { newsletter: boolean; productUpdates: boolean },
): Promise<void> {
  const session = await t.api.session(tenant.slug, account.email, account.password);
  const response = await session.send({ name: 'setCommunicationPreferences', args });
  expect(response.body.results[0]?.status).toBe('applied');
}

type Entry = { email: string; name: string };

/** The function behind the command, on the running service's storage (the command is tested below). */
async function mailingList(list: MailingListName): Promise<Entry[]> {
  return JSON.parse(await exportMailingList(t.server.storage, list, 'json')) as Entry[];
}

describe('communication preferences', () => {
  it('keeps the newsletter off for a new sign-up and an invited user until they opt in', async () => {
    const tenant = await signUpTenant(t.api, 'fresh', 1);
    for (const account of [tenant.admin, tenant.agents[0]!]) {
      const preferences = await preferencesOf(tenant, account);
      expect(preferences).toMatchObject({ newsletter: false, productUpdates: true });
    }
    const optedIn = await signUpTenant(t.api, 'keen', 0, { newsletter: true });
    expect(await preferencesOf(optedIn, optedIn.admin)).toMatchObject({ newsletter: true });
  });

  it('records the starting values and each change with its time and source', async () => {
    const agent = acme.agents[0]!;
    await setPreferences(acme, agent, { newsletter: true, productUpdates: true });
    await setPreferences(acme, agent, { newsletter: true, productUpdates: false });
    // The same values again change nothing and record nothing.
    await setPreferences(acme, agent, { newsletter: true, productUpdates: false });
    const changes = (await exportOf(acme, agent)).preferenceChanges;
    expect(changes.map(({ at: _at, ...rest }) => rest)).toEqual([
      { field: 'newsletter', old: null, new: false, source: 'account_created' },
      { field: 'productUpdates', old: null, new: true, source: 'account_created' },
      { field: 'newsletter', old: false, new: true, source: 'sync' },
      { field: 'productUpdates', old: true, new: false, source: 'sync' },
    ]);
    const times = changes.map((c) => Date.parse(c.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('mailing-list export (tsx src-server/cli/mailing-list.ts)', () => {
  it('lists only those who opted in to the newsletter and never those who opted out of contact', async () => {
    const [optIn, optOut, disabled] = acme.agents as [Account, Account, Account];
    // optIn = agent 1 (opted in above, then out of product contact).
    await setPreferences(acme, optOut, { newsletter: false, productUpdates: false });
    await setPreferences(acme, disabled, { newsletter: true, productUpdates: true });
    const { accessToken } = await t.api.login(acme.slug, acme.admin.email, acme.admin.password);
    const patch = await t.api.call('PATCH', `/api/v1/admin/users/${disabled.userId}`, {
      token: accessToken,
      body: { active: false },
    });
    expect(patch.status).toBe(200);

    const newsletter = (await mailingList('newsletter')).map((e) => e.email);
    expect(newsletter).toContain(optIn.email);
    expect(newsletter).not.toContain(optOut.email);
    expect(newsletter).not.toContain(acme.admin.email);
    expect(newsletter).not.toContain(disabled.email);

    const product = (await mailingList('product')).map((e) => e.email);
    expect(product).toContain(acme.admin.email);
    expect(product).not.toContain(optIn.email);
    expect(product).not.toContain(optOut.email);
    expect(product).not.toContain(disabled.email);
  });

  it('follows a change made through sync at once, and gives email and name only', async () => {
    const tenant = await signUpTenant(t.api, 'switch', 1);
    const agent = tenant.agents[0]!;
    expect((await mailingList('newsletter')).map((e) => e.email)).not.toContain(agent.email);
    await setPreferences(tenant, agent, { newsletter: true, productUpdates: true });
    const listed = (await mailingList('newsletter')).find((e) => e.email === agent.email);
    expect(listed).toEqual({ email: agent.email, name: 'Agent 1 of switch' });
    await setPreferences(tenant, agent, { newsletter: false, productUpdates: false });
    expect((await mailingList('newsletter')).map((e) => e.email)).not.toContain(agent.email);
    expect((await mailingList('product')).map((e) => e.email)).not.toContain(agent.email);
  });

  it('runs as a command that writes CSV with a header and refuses an unknown list', async () => {
    const run = (...args: string[]) =>
      runServerCli('mailing-list.ts', ['--data-dir', t.dataDir, ...args], t.cliEnv);
    const lines = (await run('--list', 'product')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('email,name');
    expect(lines).toContain(`${acme.admin.email},Admin of prefs`);
    expect(lines.some((line) => line.startsWith(`${acme.agents[1]!.email},`))).toBe(false);
    await expect(run('--list', 'partners')).rejects.toMatchObject({ code: 2 });
  });
});
