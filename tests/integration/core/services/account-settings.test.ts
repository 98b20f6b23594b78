import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountExport } from '../../../../src-shared/protocol/account';
import { accountKey } from '../../../../src-main/core/credentials/credential-store';
import { KeytarCredentialStore } from '../../../../src-main/core/credentials/keytar-credential-store';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { signUpTenant, type Account, type SignedUpTenant } from '../../../support/privacy-fixtures';
import { answeredStatuses, TempDirs, TEST_ENGINE, waitFor } from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * "My Company Settings" and the account calls, as the bridge calls them (`invoke`), with the real
 * OS keychain (a service name of this run alone), real replica files, and the real service behind
 * a fault proxy that takes it offline:
 * - profile, company and preferences answer what the agent sees, the service's confirmed copy,
 *   and the fields still waiting for the service;
 * - changing the email moves the keychain entry and the session file to the new name;
 * - changing the password is checked locally first and ends the user's other sessions only;
 * - "export my data" hands over the service's JSON, without any secret.
 */

let t: TestServer;
let proxy: FaultProxy;
let tenant: SignedUpTenant;
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-account-${randomUUID()}` });
const services: HelpdeskService[] = [];

beforeAll(async () => {
  t = await startTestServer();
  proxy = await startFaultProxy({ targetPort: t.server.port });
  tenant = await signUpTenant(t.api, 'settings', 5);
});
afterAll(async () => {
  for (const service of services) await service.close();
  await proxy?.close();
  await t?.close();
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  dirs.cleanup();
});

function newService(dataDir = dirs.make('helpdesk-settings-')): HelpdeskService {
  const service = new HelpdeskService({ dataDir, credentials: store, engine: TEST_ENGINE });
  services.push(service);
  return service;
}

/** Signs in and waits for the first sync to end. */
async function signedIn(who: Account, dataDir?: string): Promise<HelpdeskService> {
  const service = newService(dataDir);
  await service.invoke('signIn', {
    serverUrl: proxy.url,
    tenant: tenant.slug,
    email: who.email,
    password: who.password,
    caCertificate: t.ca,
  });
  await synced(service);
  return service;
}

/**
 * Syncs until the service has everything: the first cycle after going back online may still meet
 * a connection the proxy reset while offline.
 */
async function synced(service: HelpdeskService): Promise<void> {
  let last = '';
  await waitFor('a complete sync', async () => {
    const snapshot = await service.invoke('syncNow', {});
    last = JSON.stringify(snapshot);
    return snapshot.status.state === 'idle' && snapshot.pending === 0;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last snapshot ${last}`);
  });
}

async function offline<T>(run: () => Promise<T>): Promise<T> {
  proxy.setMode('refuse');
  try {
    return await run();
  } finally {
    proxy.setMode('pass');
  }
}

/** A row as the service holds it now, from a fresh pull from 0 as `who`. */
async function onService(who: Account, key: string): Promise<unknown> {
  const session = await t.api.session(tenant.slug, who.email, who.password);
  const rows = new Map<string, unknown>();
  for (const page of await session.pullAll()) {
    for (const change of page.changes) {
      rows.set(`${change.entity}:${change.id}`, change.op === 'upsert' ? change.data : undefined);
    }
  }
  return rows.get(key);
}

describe('profile', () => {
  it('shows a pending field until the service confirms it, and clears an optional field', async () => {
    const agent = tenant.agents[0]!;
    const service = await signedIn(agent);
    const before = (await service.invoke('getProfile', {}))!;
    expect(before).toEqual({
      current: expect.objectContaining({ id: agent.userId, email: agent.email, phone: null }),
      confirmed: before.current,
      pendingFields: [],
    });

    await offline(async () => {
      await service.invoke('mutate', {
        name: 'updateProfile',
        args: { fields: { phone: '+1 555 0100' } },
      });
      const pending = (await service.invoke('getProfile', {}))!;
      expect(pending.pendingFields).toEqual(['phone']);
      expect(pending.current.phone).toBe('+1 555 0100');
      expect(pending.confirmed!.phone).toBeNull();
    });

    await synced(service);
    const confirmed = (await service.invoke('getProfile', {}))!;
    expect(confirmed.pendingFields).toEqual([]);
    expect(confirmed.confirmed!.phone).toBe('+1 555 0100');
    expect(await onService(agent, `profile:${agent.userId}`)).toMatchObject({
      phone: '+1 555 0100',
    });

    await service.invoke('mutate', { name: 'updateProfile', args: { fields: { phone: null } } });
    await synced(service);
    expect((await service.invoke('getProfile', {}))!).toMatchObject({
      current: { phone: null },
      confirmed: { phone: null },
      pendingFields: [],
    });
    expect(await onService(agent, `profile:${agent.userId}`)).toMatchObject({ phone: null });
  });

  it('answers preferences in the same shape', async () => {
    const service = await signedIn(tenant.agents[1]!);
    const { current } = (await service.invoke('getPreferences', {}))!;
    await offline(async () => {
      await service.invoke('mutate', {
        name: 'setCommunicationPreferences',
        args: { newsletter: !current.newsletter, productUpdates: current.productUpdates },
      });
      expect(await service.invoke('getPreferences', {})).toMatchObject({
        current: { newsletter: !current.newsletter },
        confirmed: { newsletter: current.newsletter },
        pendingFields: ['newsletter'],
      });
    });
    await synced(service);
    expect(await service.invoke('getPreferences', {})).toMatchObject({
      confirmed: { newsletter: !current.newsletter },
      pendingFields: [],
    });
  });
});

describe('company', () => {
  it("an admin's edit is pending, then confirmed", async () => {
    const service = await signedIn(tenant.admin);
    const company = `company:${tenant.tenantId}`;
    await offline(async () => {
      await service.invoke('mutate', {
        name: 'updateCompany',
        args: { fields: { address: '1 Harbour Road', website: 'https://settings.example' } },
      });
      expect(await service.invoke('getCompany', {})).toMatchObject({
        current: { address: '1 Harbour Road', website: 'https://settings.example' },
        confirmed: { address: null, website: null },
        pendingFields: ['address', 'website'],
      });
    });
    await synced(service);
    expect(await service.invoke('getCompany', {})).toMatchObject({
      confirmed: { address: '1 Harbour Road' },
      pendingFields: [],
    });
    expect(await onService(tenant.admin, company)).toMatchObject({ address: '1 Harbour Road' });
  });

  it("refuses an agent's edit at once, queueing nothing and changing nothing", async () => {
    const agent = tenant.agents[2]!;
    const service = await signedIn(agent);
    const before = await onService(agent, `company:${tenant.tenantId}`);
    await expect(
      service.invoke('mutate', { name: 'updateCompany', args: { fields: { name: 'Hijacked' } } }),
    ).rejects.toMatchObject({ name: 'BridgeError', code: 'forbidden' });
    expect((await service.invoke('getCompany', {}))!.pendingFields).toEqual([]);
    await synced(service);
    expect(await onService(agent, `company:${tenant.tenantId}`)).toEqual(before);
  });
});

describe('changeEmail', () => {
  it('moves the keychain entry and the session file to the new email, and a restart syncs', async () => {
    const agent = tenant.agents[3]!;
    const dataDir = dirs.make('helpdesk-email-');
    const service = await signedIn(agent, dataDir);
    const oldKey = accountKey(proxy.url, tenant.slug, agent.email);
    const newEmail = `moved-${agent.email}`;
    const newKey = accountKey(proxy.url, tenant.slug, newEmail);
    const refreshToken = await store.get(oldKey);
    expect(refreshToken).toEqual(expect.any(String));

    // Refused: wrong password, or offline. Nothing moves.
    await expect(
      service.invoke('changeEmail', {
        newEmail,
        currentPassword: 'not-the-password-1',
      }),
    ).rejects.toMatchObject({ code: 'wrong_password' });
    await offline(() =>
      expect(
        service.invoke('changeEmail', {
          newEmail,
          currentPassword: agent.password,
        }),
      ).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/\S/) }),
    );
    expect(await store.list()).not.toContain(newKey);
    expect(await store.get(oldKey)).toBe(refreshToken);

    const session = await service.invoke('changeEmail', {
      newEmail,
      currentPassword: agent.password,
    });
    expect(session.user).toEqual({ ...session.user, id: agent.userId, email: newEmail });
    expect(await service.invoke('getSession', {})).toEqual(session);

    expect(await store.list()).toEqual(expect.arrayContaining([newKey]));
    expect(await store.list()).not.toContain(oldKey);
    expect(await store.get(oldKey)).toBeNull();
    expect(await store.get(newKey)).toBe(refreshToken);
    const file = readFileSync(join(dataDir, 'accounts.json'), 'utf8');
    expect(JSON.parse(file)).toMatchObject({ accounts: [{ user: { email: newEmail } }] });
    expect(file).not.toContain(agent.password);

    // The replica receives the new email with the next sync.
    await synced(service);
    expect(await service.invoke('getProfile', {})).toMatchObject({
      current: { email: newEmail },
      confirmed: { email: newEmail },
      pendingFields: [],
    });

    // The app starts again: the session resumes under the new name and syncs with the service.
    await service.close();
    const restarted = newService(dataDir);
    expect(await restarted.restore()).toEqual(session);
    await restarted.invoke('mutate', {
      name: 'updateProfile',
      args: { fields: { title: 'Renamed' } },
    });
    await synced(restarted);
    expect(await onService({ ...agent, email: newEmail }, `profile:${agent.userId}`)).toMatchObject(
      { email: newEmail, title: 'Renamed' },
    );
    expect(await restarted.invoke('signOut', {})).toEqual({ status: 'signed-out' });
    expect(await store.list()).not.toContain(newKey);
  });
});

describe('changePassword', () => {
  it('refuses a weak password locally, a wrong one on the service, and ends only the other sessions', async () => {
    const agent = tenant.agents[4]!;
    const service = await signedIn(agent);
    const other = await t.api.login(tenant.slug, agent.email, agent.password);
    const asked = () => answeredStatuses(t.logs, '/api/v1/account/password').length;
    const askedBefore = asked();

    for (const weak of ['Password123!', agent.email, 'short']) {
      await expect(
        service.invoke('changePassword', { currentPassword: agent.password, newPassword: weak }),
      ).rejects.toMatchObject({ code: 'weak_password', message: expect.stringMatching(/\S/) });
    }
    expect(asked()).toBe(askedBefore);

    await expect(
      service.invoke('changePassword', {
        currentPassword: 'not-the-password-1',
        newPassword: 'a-much-better-secret-9',
      }),
    ).rejects.toMatchObject({ code: 'wrong_password' });
    await offline(() =>
      expect(
        service.invoke('changePassword', {
          currentPassword: agent.password,
          newPassword: 'a-much-better-secret-9',
        }),
      ).rejects.toMatchObject({ code: 'network' }),
    );
    expect(asked()).toBe(askedBefore + 1);

    expect(
      await service.invoke('changePassword', {
        currentPassword: agent.password,
        newPassword: 'a-much-better-secret-9',
      }),
    ).toEqual({});
    const refused = await t.api.call('GET', '/api/v1/account/logins', {
      token: other.accessToken,
    });
    expect(refused.status).toBe(401);
    const refresh = await t.api.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: other.refreshToken, clientId: randomUUID() },
    });
    expect(refresh.status).toBe(401);

    // This session goes on syncing.
    await service.invoke('mutate', {
      name: 'updateProfile',
      args: { fields: { department: 'After the change' } },
    });
    await synced(service);
    expect(
      await onService({ ...agent, password: 'a-much-better-secret-9' }, `profile:${agent.userId}`),
    ).toMatchObject({
      department: 'After the change',
    });
  });
});

describe('exportMyData', () => {
  it('hands over the JSON of the export, named by its date, without any secret', async () => {
    const agent = tenant.agents[1]!;
    const service = await signedIn(agent);
    const file = await service.invoke('exportMyData', {});
    const data = AccountExport.parse(JSON.parse(file.json));
    expect(file.fileName).toBe(`helpdesk-export-${data.generatedAt.slice(0, 10)}.json`);
    expect(file.fileName).toMatch(/^helpdesk-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(data.profile).toMatchObject({ id: agent.userId, email: agent.email });
    expect(data.account).toMatchObject({ id: agent.userId, tenant: tenant.slug });
    expect(file.json).not.toMatch(/passwordHash|password_hash|scrypt\$/i);
    expect(file.json).not.toContain(agent.password);
    expect(file.json).not.toContain(
      (await store.get(accountKey(proxy.url, tenant.slug, agent.email)))!,
    );
    await offline(() =>
      expect(service.invoke('exportMyData', {})).rejects.toMatchObject({ code: 'network' }),
    );
  });
});
