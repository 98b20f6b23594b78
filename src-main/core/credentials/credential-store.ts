import { serverOrigin } from '../net/server-url';

/**
 * Where the desktop keeps secrets: one entry per account (see {@link accountKey}). Only refresh
 * tokens are stored; never passwords, never access tokens. keytar is archived upstream, so the
 * rest of the app sees only this interface (an Electron safeStorage store can take its place).
 */
export interface CredentialStore {
  /** The secret of an account, or null when there is none. */
  get(account: string): Promise<string | null>;
  /** Stores (or replaces) the secret of an account. */
  set(account: string, secret: string): Promise<void>;
  /** Removes an account's secret; true when there was one. */
  delete(account: string): Promise<boolean>;
  /** Every account that has a secret in this store. */
  list(): Promise<string[]>;
}

/** A failure of the store itself (no keychain, locked, refused), with a message for a person. */
export class CredentialStoreError extends Error {
  override readonly name = 'CredentialStoreError';
}

export interface AccountParts {
  /** The service's origin, e.g. `https://help.example.com`. */
  serverUrl: string;
  tenantSlug: string;
  userEmail: string;
}

const SEPARATOR = '|';
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const EMAIL = /^[^\s|]+@[^\s|]+$/;

/**
 * The account name of one (server, tenant, user): `<origin>|<tenant>|<email>`, with the server
 * reduced to its origin and the tenant slug and email in lower case, so that the same account is
 * always found under the same name, e.g. `https://help.example.com|acme|agent1@acme.test`.
 */
export function accountKey(serverUrl: string, tenantSlug: string, userEmail: string): string {
  const origin = serverOrigin(serverUrl);
  const tenant = tenantSlug.trim().toLowerCase();
  const email = userEmail.trim().toLowerCase();
  if (!SLUG.test(tenant)) throw new TypeError(`'${tenantSlug}' is not a tenant slug.`);
  if (!EMAIL.test(email)) throw new TypeError(`'${userEmail}' is not an email address.`);
  return [origin, tenant, email].join(SEPARATOR);
}

/** The parts of an account name made by {@link accountKey}, or null for any other string. */
export function parseAccountKey(account: string): AccountParts | null {
  const parts = account.split(SEPARATOR);
  if (parts.length !== 3) return null;
  const [serverUrl = '', tenantSlug = '', userEmail = ''] = parts;
  try {
    if (accountKey(serverUrl, tenantSlug, userEmail) !== account) return null;
  } catch {
    return null;
  }
  return { serverUrl, tenantSlug, userEmail };
}
