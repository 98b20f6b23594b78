import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates, type PeerCertificate } from 'node:tls';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTlsAgent,
  trustedCertificates,
  loadCaCertificates,
  PIN_MISMATCH_CODE,
  spkiPin,
} from '../../../../src-main/core/net/tls-agent';

let ca: { cert: string; private: string };
let leaf: { cert: string };
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-agent-'));
  ca = await selfsigned.generate([{ name: 'commonName', value: 'Unit CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }],
  });
  leaf = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PeerCertificate as Node hands it to checkServerIdentity: leaf → issuer chain, DER pubkeys. */
function peerChain(): PeerCertificate {
  const toPeer = (pem: string) => {
    const x509 = new X509Certificate(pem);
    return {
      subject: { CN: x509.subject.split('CN=')[1] ?? '' },
      subjectaltname: x509.subjectAltName,
      pubkey: x509.publicKey.export({ type: 'spki', format: 'der' }),
      valid_from: x509.validFrom,
      valid_to: x509.validTo,
    } as unknown as PeerCertificate & { issuerCertificate?: PeerCertificate };
  };
  const root = toPeer(ca.cert) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  root.issuerCertificate = root; // a self-signed root points at itself
  const server = toPeer(leaf.cert) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  server.issuerCertificate = root;
  return server;
}

describe('loadCaCertificates', () => {
  it('reads PEM text and PEM files, bundles included', () => {
    expect(loadCaCertificates(ca.cert)).toHaveLength(1);
    const file = join(dir, 'bundle.pem');
    writeFileSync(file, `${ca.cert}\n${leaf.cert}`);
    expect(loadCaCertificates(file)).toHaveLength(2);
  });

  it('refuses text without a certificate and certificates that do not parse', () => {
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'hello');
    expect(() => loadCaCertificates(empty)).toThrow(/no PEM certificate/);
    expect(() =>
      loadCaCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'),
    ).toThrow(/cannot be read/);
  });
});

describe('spkiPin', () => {
  it('is the base64 SHA-256 of the DER SubjectPublicKeyInfo', () => {
    const der = new X509Certificate(leaf.cert).publicKey.export({ type: 'spki', format: 'der' });
    expect(spkiPin(leaf.cert)).toBe(createHash('sha256').update(der).digest('base64'));
    expect(spkiPin(leaf.cert)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(spkiPin(leaf.cert)).not.toBe(spkiPin(ca.cert));
  });
});

describe('createTlsAgent', () => {
  it('trusts the system CAs plus the custom one, and never turns checks off', () => {
    const trusted = trustedCertificates(ca.cert);
    expect(trusted).toHaveLength(rootCertificates.length + 1);
    expect(trusted).toContain(ca.cert.match(/-----BEGIN[\s\S]+END CERTIFICATE-----/)![0]);
    expect(trustedCertificates()).toEqual(rootCertificates);
    const agent = createTlsAgent({ ca: ca.cert });
    expect(agent.options.rejectUnauthorized).toBe(true);
    // One context for every connection, and every agent, of the same trust: built once.
    const again = createTlsAgent({ ca: ca.cert, pins: [spkiPin(leaf.cert)] });
    const system = createTlsAgent();
    expect(agent.options.secureContext).toBeDefined();
    expect(again.options.secureContext).toBe(agent.options.secureContext);
    expect(system.options.secureContext).not.toBe(agent.options.secureContext);
    for (const a of [agent, again, system]) a.destroy();
  });

  it('checks the host name first, then the pins against every key of the chain', () => {
    const check = (pins: string[] | undefined, host = 'localhost') => {
      const agent = createTlsAgent({ ...(pins ? { pins } : {}) });
      const result = agent.options.checkServerIdentity!(host, peerChain());
      agent.destroy();
      return result;
    };
    expect(check(undefined)).toBeUndefined();
    expect(check([spkiPin(leaf.cert)])).toBeUndefined();
    expect(check([spkiPin(ca.cert)])).toBeUndefined();
    const other = Buffer.alloc(32, 9).toString('base64');
    const mismatch = check([other]) as Error & { code?: string; presented?: string[] };
    expect(mismatch.code).toBe(PIN_MISMATCH_CODE);
    expect(mismatch.presented).toEqual([spkiPin(leaf.cert), spkiPin(ca.cert)]);
    // A wrong name fails as a name problem, even with a matching pin.
    const misnamed = check([spkiPin(leaf.cert)], 'example.com') as Error & { code?: string };
    expect(misnamed.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('refuses malformed pins', () => {
    expect(() => createTlsAgent({ pins: ['abc'] })).toThrow(/not a base64 SHA-256/);
    expect(() => createTlsAgent({ pins: ['sha256//' + spkiPin(leaf.cert)] })).toThrow();
  });
});
