import { randomUUID } from 'node:crypto';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarCredentialStore } from '../../../../src-main/core/credentials/keytar-credential-store';
import { HelpdeskService } from '../../../../src-main/core/services/helpdesk-service';
import { TempDirs } from '../../../support/sync-harness';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * A CA the shell trusts (the demo service's, given by `npm start`) and the CA a person picks at
 * sign-in add up: the shell's must not hide the person's, and a file that is no certificate is a
 * clear bad_request, not an internal error.
 */

let t: TestServer;
let unrelatedCa: string;
const dirs = new TempDirs();
const store = new KeytarCredentialStore({ serviceSuffix: `test-trusted-cas-${randomUUID()}` });
const services: HelpdeskService[] = [];

beforeAll(async () => {
  t = await startTestServer({ demo: true });
  unrelatedCa = (
    await selfsigned.generate([{ name: 'commonName', value: 'Some other CA' }], {
      keySize: 2048,
      extensions: [{ name: 'basicConstraints', cA: true, critical: true }],
    })
  ).cert;
});
afterAll(async () => {
  for (const service of services) await service.close();
  await t?.close();
  for (const account of await store.list().catch(() => [])) await store.delete(account);
  dirs.cleanup();
});

function serviceTrusting(shellCa: string): HelpdeskService {
  const service = new HelpdeskService({
    dataDir: dirs.make(),
    credentials: store,
    clientOptions: { ca: shellCa },
  });
  services.push(service);
  return service;
}

const signIn = (service: HelpdeskService, caCertificate?: string) =>
  service.invoke('signIn', {
    serverUrl: t.server.url,
    tenant: 'acme',
    email: 'agent3@acme.test',
    password: 'demo-password-1',
    ...(caCertificate === undefined ? {} : { caCertificate }),
  });

describe('trusted CAs', () => {
  it('refuses the service when only an unrelated CA is trusted', async () => {
    await expect(signIn(serviceTrusting(unrelatedCa))).rejects.toMatchObject({
      code: 'tls_untrusted',
    });
  });

  it("trusts the CA chosen at sign-in besides the shell's own", async () => {
    const session = await signIn(serviceTrusting(unrelatedCa), t.ca);
    expect(session.user.email).toBe('agent3@acme.test');
  });

  it('answers bad_request for a CA file that holds no certificate', async () => {
    await expect(
      signIn(serviceTrusting(unrelatedCa), 'this is not a certificate'),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});
