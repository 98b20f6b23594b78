import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ServiceClient,
  type ServiceClientOptions,
} from '../../../../src-main/core/net/service-client';
import { spkiPin } from '../../../../src-main/core/net/tls-agent';
import { startFaultProxy } from '../../../support/fault-proxy';
import { requestsLogged, serviceFailure } from '../../../support/service-errors';
import { startTestServer, type TestServer } from '../../../support/test-server';

/**
 * Trust: the client talks only to a service whose certificate chains to a trusted CA, is in date,
 * names the address dialled and, when pinned, carries a pinned key; and only over https, except to
 * loopback when explicitly allowed. Each refusal is its own ServiceError kind, and a refused
 * connection sends no request.
 */

const LOGIN = { tenant: 'acme', email: 'agent1@acme.test', password: 'demo-password-1' };
const DAY = 86_400_000;

let t: TestServer;
let expired: TestServer;
let misnamed: TestServer;
let plain: TestServer;
let certDir: string;
const clients: ServiceClient[] = [];

function clientFor(options: Partial<ServiceClientOptions> & { serverUrl?: string }): ServiceClient {
  const client = new ServiceClient({ serverUrl: t.server.url, ...options });
  clients.push(client);
  return client;
}

/** A CA the client does not trust. */
function anotherCa() {
  return selfsigned.generate([{ name: 'commonName', value: 'Some other CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }],
  });
}

/** A server certificate signed by the test service's CA, written to files the service can load. */
async function leafSignedByTestCa(
  name: string,
  altNames: Array<{ type: 2; value: string } | { type: 7; ip: string }>,
  validity: { notBeforeDate?: Date; notAfterDate?: Date } = {},
) {
  const caDir = join(t.dataDir, 'tls');
  const pems = await selfsigned.generate([{ name: 'commonName', value: name }], {
    keySize: 2048,
    algorithm: 'sha256',
    ...validity,
    ca: {
      key: readFileSync(join(caDir, 'ca-key.pem'), 'utf8'),
      cert: readFileSync(join(caDir, 'ca.pem'), 'utf8'),
    },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  const certFile = join(certDir, `${name}.pem`);
  const keyFile = join(certDir, `${name}-key.pem`);
  writeFileSync(certFile, pems.cert);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  return { certFile, keyFile };
}

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'helpdesk-certs-'));
  t = await startTestServer({ demo: true });
  const loopback = [
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 2 as const, value: 'localhost' },
  ];
  const old = await leafSignedByTestCa('expired', loopback, {
    notBeforeDate: new Date(Date.now() - 400 * DAY),
    notAfterDate: new Date(Date.now() - 30 * DAY),
  });
  const other = await leafSignedByTestCa('misnamed', [{ type: 2, value: 'help.other.test' }]);
  [expired, misnamed, plain] = await Promise.all([
    startTestServer({ tlsCertFile: old.certFile, tlsKeyFile: old.keyFile }),
    startTestServer({ tlsCertFile: other.certFile, tlsKeyFile: other.keyFile }),
    startTestServer({ demo: true, insecureHttp: true }),
  ]);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all([t?.close(), expired?.close(), misnamed?.close(), plain?.close()]);
  rmSync(certDir, { recursive: true, force: true });
});

describe('trusted CAs', () => {
  it('trusts the custom CA given as PEM text or as a file path', async () => {
    const before = requestsLogged(t.logs);
    await expect(clientFor({ ca: t.ca }).login(LOGIN)).resolves.toMatchObject({
      tenant: { slug: 'acme' },
    });
    await expect(clientFor({ ca: t.server.caPath! }).login(LOGIN)).resolves.toMatchObject({
      tenant: { slug: 'acme' },
    });
    // The requests that got through are counted, so that "no request" below means something.
    expect(requestsLogged(t.logs)).toBe(before + 2);
  });

  it('checks the name dialled: localhost is in the certificate too', async () => {
    const client = clientFor({ serverUrl: `https://localhost:${t.server.port}`, ca: t.ca });
    await expect(client.login(LOGIN)).resolves.toMatchObject({ user: { email: LOGIN.email } });
  });

  it('refuses a service whose CA is not trusted (another CA), before any request', async () => {
    const otherCa = await anotherCa();
    const before = requestsLogged(t.logs);
    const error = await serviceFailure(clientFor({ ca: otherCa.cert }).login(LOGIN));
    expect(error.kind).toBe('tls_untrusted');
    expect(error.message).toBe("The server's certificate is not trusted.");
    expect(error.systemCode).toMatch(
      /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
    );
    expect(error.isTls).toBe(true);
    expect(error.retryable).toBe(false);
    expect(requestsLogged(t.logs)).toBe(before);
  });

  it('refuses the development CA when only the system CAs are trusted', async () => {
    const before = requestsLogged(t.logs);
    const error = await serviceFailure(clientFor({}).login(LOGIN));
    expect(error.kind).toBe('tls_untrusted');
    expect(requestsLogged(t.logs)).toBe(before);
  });

  it('refuses an expired certificate as tls_expired', async () => {
    const client = clientFor({ serverUrl: expired.server.url, ca: t.ca });
    const before = requestsLogged(expired.logs);
    const error = await serviceFailure(client.login(LOGIN));
    expect(error).toMatchObject({ kind: 'tls_expired', systemCode: 'CERT_HAS_EXPIRED' });
    expect(error.message).toBe("The server's certificate has expired.");
    expect(requestsLogged(expired.logs)).toBe(before);
  });

  it('refuses a certificate for another name as tls_hostname', async () => {
    const client = clientFor({ serverUrl: misnamed.server.url, ca: t.ca });
    const before = requestsLogged(misnamed.logs);
    const error = await serviceFailure(client.login(LOGIN));
    expect(error).toMatchObject({
      kind: 'tls_hostname',
      systemCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(error.message).toBe("The server's certificate is for a different address.");
    expect(requestsLogged(misnamed.logs)).toBe(before);
  });

  it('refuses an invalid custom CA when the client is made', () => {
    expect(() =>
      clientFor({ ca: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' }),
    ).toThrow(/cannot be read/);
    expect(() => clientFor({ ca: join(certDir, 'no-such-file.pem') })).toThrow(/ENOENT/);
  });
});

describe('public-key pinning', () => {
  const serverPem = () => readFileSync(join(t.dataDir, 'tls', 'server.pem'), 'utf8');

  it('accepts the pinned server key, and the pinned CA key', async () => {
    await expect(
      clientFor({ ca: t.ca, pins: [spkiPin(serverPem())] }).login(LOGIN),
    ).resolves.toMatchObject({ tenant: { slug: 'acme' } });
    await expect(
      clientFor({ ca: t.ca, pins: [spkiPin(t.ca)] }).login(LOGIN),
    ).resolves.toMatchObject({
      tenant: { slug: 'acme' },
    });
  });

  it('accepts when any one of several pins matches (a backup pin for key rotation)', async () => {
    const backup = Buffer.alloc(32, 7).toString('base64');
    const client = clientFor({ ca: t.ca, pins: [backup, spkiPin(serverPem())] });
    await expect(client.login(LOGIN)).resolves.toMatchObject({ tenant: { slug: 'acme' } });
  });

  it('refuses a key that matches no pin as tls_pin_mismatch, before any request', async () => {
    const wrong = Buffer.alloc(32, 1).toString('base64');
    const before = requestsLogged(t.logs);
    const error = await serviceFailure(clientFor({ ca: t.ca, pins: [wrong] }).login(LOGIN));
    expect(error.kind).toBe('tls_pin_mismatch');
    expect(error.message).toBe("The server's key does not match the pinned key.");
    expect(requestsLogged(t.logs)).toBe(before);
  });

  it('checks the certificate before the pin: a pinned key behind an untrusted CA is still refused', async () => {
    const error = await serviceFailure(clientFor({ pins: [spkiPin(serverPem())] }).login(LOGIN));
    expect(error.kind).toBe('tls_untrusted');
  });

  it('refuses a malformed pin when the client is made', () => {
    expect(() => clientFor({ ca: t.ca, pins: ['not-a-pin'] })).toThrow(/not a base64 SHA-256/);
  });
});

describe('plain http', () => {
  it('refuses http:// to a host that is not loopback, whatever the option says', async () => {
    for (const allowInsecureLoopback of [false, true]) {
      const error = await serviceFailure(() =>
        clientFor({ serverUrl: 'http://help.example.com', allowInsecureLoopback }),
      );
      expect(error.kind).toBe('insecure_url');
      expect(error.message).toMatch(/use https/);
    }
    const private10 = await serviceFailure(() =>
      clientFor({ serverUrl: 'http://10.1.2.3:8080', allowInsecureLoopback: true }),
    );
    expect(private10.kind).toBe('insecure_url');
  });

  it('refuses http:// to loopback without the option', async () => {
    const before = requestsLogged(plain.logs);
    const error = await serviceFailure(() => clientFor({ serverUrl: plain.server.url }));
    expect(error.kind).toBe('insecure_url');
    expect(error.message).toMatch(/only in development/);
    expect(requestsLogged(plain.logs)).toBe(before);
  });

  it('talks http:// to loopback with the option', async () => {
    expect(plain.server.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const client = clientFor({ serverUrl: plain.server.url, allowInsecureLoopback: true });
    const tokens = await client.login(LOGIN);
    const page = await client.pull('0', 3, randomUUID(), tokens.accessToken);
    expect(page.changes).toHaveLength(3);
  });

  it('refuses other schemes', async () => {
    const error = await serviceFailure(() => clientFor({ serverUrl: 'ftp://127.0.0.1/' }));
    expect(error.kind).toBe('insecure_url');
  });

  it('reports https to a plain http service as a network error, not a TLS trust problem', async () => {
    const client = clientFor({ serverUrl: `https://127.0.0.1:${plain.server.port}`, ca: t.ca });
    const error = await serviceFailure(client.login(LOGIN));
    expect(error.kind).toBe('network');
    expect(error.message).toBe('A secure connection to the server could not be made.');
  });
});

describe('no retry around a refused certificate', () => {
  it('makes exactly one connection for each kind of refusal, and sends no request', async () => {
    const otherCa = await anotherCa();
    const wrongPin = Buffer.alloc(32, 1).toString('base64');
    const cases: Array<[string, TestServer, Partial<ServiceClientOptions>]> = [
      ['tls_untrusted', t, { ca: otherCa.cert }],
      ['tls_expired', expired, { ca: t.ca }],
      ['tls_hostname', misnamed, { ca: t.ca }],
      ['tls_pin_mismatch', t, { ca: t.ca, pins: [wrongPin] }],
    ];
    for (const [kind, target, options] of cases) {
      // Counted at a proxy in front of the service: every TCP connection, handshake or not.
      const proxy = await startFaultProxy({ targetPort: target.server.port });
      try {
        const before = requestsLogged(target.logs);
        const error = await serviceFailure(
          clientFor({ ...options, serverUrl: proxy.url }).login(LOGIN),
        );
        expect(error, kind).toMatchObject({ kind, isTls: true, retryable: false });
        await sleep(300);
        expect(proxy.connections, kind).toBe(1);
        expect(requestsLogged(target.logs), kind).toBe(before);
      } finally {
        await proxy.close();
      }
    }
  });
});
