import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import {
  checkServerIdentity,
  createSecureContext,
  rootCertificates,
  type PeerCertificate,
  type SecureContext,
} from 'node:tls';

/** How the client decides that it talks to the right service. Certificate checks are always on. */
export interface TrustOptions {
  /**
   * An extra CA to trust besides the system's, for a self-hosted service: PEM text (one or more
   * certificates) or the path of a PEM file.
   */
  ca?: string;
  /**
   * Public-key pins: base64 SHA-256 hashes of a certificate's SubjectPublicKeyInfo (the `pin-sha256`
   * of HPKP, `curl --pinnedpubkey sha256//…`). When given, the connection is accepted only if some
   * certificate of the verified chain (server, intermediate or CA) has one of these keys. Checked
   * after, never instead of, the normal chain and host name checks.
   */
  pins?: readonly string[];
}

export interface TlsAgentOptions extends TrustOptions {
  keepAlive?: boolean;
}

/** The error code a pin mismatch fails the TLS connection with. */
export const PIN_MISMATCH_CODE = 'ERR_TLS_PIN_MISMATCH';

export class PinMismatchError extends Error {
  readonly code = PIN_MISMATCH_CODE;

  constructor(
    readonly host: string,
    readonly presented: readonly string[],
  ) {
    super(`The public key of ${host} matches none of the pinned keys.`);
    this.name = 'PinMismatchError';
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PIN = /^[A-Za-z0-9+/]{43}=$/;

/** The certificates of a CA option (PEM text or a file path), each checked to parse. */
export function loadCaCertificates(ca: string): string[] {
  const text = ca.includes('-----BEGIN') ? ca : readFileSync(ca, 'utf8');
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) {
    throw new TypeError('The custom CA holds no PEM certificate.');
  }
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new TypeError(
        `The custom CA holds a certificate that cannot be read: ${String(error)}`,
      );
    }
  }
  return certificates;
}

/** The pin (base64 SHA-256 of the DER SubjectPublicKeyInfo) of a PEM certificate. */
export function spkiPin(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return createHash('sha256').update(spki).digest('base64');
}

function normalisePins(pins: readonly string[]): Set<string> {
  for (const pin of pins) {
    if (!PIN.test(pin)) {
      throw new TypeError(`'${pin}' is not a base64 SHA-256 public-key pin (44 characters).`);
    }
  }
  return new Set(pins);
}

/** The pins of the presented chain, server certificate first (as Node hands it to us). */
function chainPins(certificate: PeerCertificate): string[] {
  const pins: string[] = [];
  const seen = new Set<PeerCertificate>();
  let current: PeerCertificate | undefined = certificate;
  while (current && !seen.has(current) && current.pubkey) {
    seen.add(current);
    pins.push(createHash('sha256').update(current.pubkey).digest('base64'));
    const issuer: PeerCertificate | undefined = (
      current as PeerCertificate & { issuerCertificate?: PeerCertificate }
    ).issuerCertificate;
    current = issuer;
  }
  return pins;
}

/** The certificates a connection trusts: the system CAs plus the custom CA's, if any. */
export function trustedCertificates(ca?: string): string[] {
  return [...rootCertificates, ...(ca ? loadCaCertificates(ca) : [])];
}

/**
 * TLS contexts by the custom CA's certificates ('' for none). Building one parses the ~140 system
 * CAs, about 25 ms of CPU: once per connection, as an agent's `ca` option does it, or once per
 * client (a sign-in retried while offline makes one each time), it was most of a client's TLS
 * cost. A context is never changed once built, so agents share it.
 */
const contexts = new Map<string, SecureContext>();

function secureContextFor(ca?: string): SecureContext {
  const trusted = trustedCertificates(ca);
  const key = trusted.slice(rootCertificates.length).join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: trusted, minVersion: 'TLSv1.2' });
    contexts.set(key, context);
  }
  return context;
}

/**
 * An https.Agent that trusts the system CAs plus an optional custom CA, and optionally pins public
 * keys. `rejectUnauthorized` is always true; the pin check runs after Node's own host name check.
 */
export function createTlsAgent(options: TlsAgentOptions = {}): Agent {
  const pins = options.pins && options.pins.length > 0 ? normalisePins(options.pins) : null;
  return new Agent({
    keepAlive: options.keepAlive ?? true,
    secureContext: secureContextFor(options.ca),
    rejectUnauthorized: true,
    checkServerIdentity(host, certificate) {
      const identityError = checkServerIdentity(host, certificate);
      if (identityError) return identityError;
      if (!pins) return undefined;
      const presented = chainPins(certificate);
      if (presented.some((pin) => pins.has(pin))) return undefined;
      return new PinMismatchError(host, presented);
    },
  });
}
