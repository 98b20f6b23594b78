import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** The CA that clients should trust, when the service made its own. */
  caPath: string | null;
}

const RENEW_BEFORE_MS = 30 * 86_400_000;

function writePrivate(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function usable(certPem: string, hosts: readonly string[]): boolean {
  const cert = new X509Certificate(certPem);
  if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
  return hosts.every(
    (host) => (/^[\d.:]+$/.test(host) ? cert.checkIP(host) : cert.checkHost(host)) !== undefined,
  );
}

/**
 * A development CA and a server certificate under `<dir>`, made once and reused after (renewed
 * when close to expiry or missing a host). Keys are readable by the owner only.
 */
export async function ensureDevCertificates(
  dir: string,
  hosts: readonly string[] = ['localhost', '127.0.0.1', '::1'],
): Promise<TlsMaterial> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = {
    ca: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
  };
  if (
    !existsSync(paths.ca) ||
    !existsSync(paths.caKey) ||
    !usable(readFileSync(paths.ca, 'utf8'), [])
  ) {
    const ca = await selfsigned.generate(
      [{ name: 'commonName', value: 'Help Desk development CA' }],
      {
        keySize: 2048,
        algorithm: 'sha256',
        notAfterDate: new Date(Date.now() + 5 * 365 * 86_400_000),
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ],
      },
    );
    writePrivate(paths.caKey, ca.private);
    writeFileSync(paths.ca, ca.cert);
    writeFileSync(paths.cert, '');
  }
  const existing = existsSync(paths.cert) ? readFileSync(paths.cert, 'utf8') : '';
  if (!existing || !existsSync(paths.key) || !usable(existing, hosts)) {
    const server = await selfsigned.generate(
      [{ name: 'commonName', value: hosts[0] ?? 'localhost' }],
      {
        keySize: 2048,
        algorithm: 'sha256',
        notAfterDate: new Date(Date.now() + 365 * 86_400_000),
        ca: { key: readFileSync(paths.caKey, 'utf8'), cert: readFileSync(paths.ca, 'utf8') },
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: hosts.map((host) =>
              /^[\d.:]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host },
            ),
          },
        ],
      },
    );
    writePrivate(paths.key, server.private);
    writeFileSync(paths.cert, server.cert);
  }
  return {
    key: readFileSync(paths.key, 'utf8'),
    cert: readFileSync(paths.cert, 'utf8'),
    caPath: paths.ca,
  };
}
