import { isIP } from 'node:net';
import { ServiceError } from './service-error';

/** localhost, 127.0.0.0/8 and ::1 (with or without the brackets a URL puts around it). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * The origin of a service address (`https://host[:port]`, lower case, default port dropped). The
 * service lives at the root of its origin, so a path other than `/`, a query, a fragment or
 * credentials in the address are refused (TypeError) rather than silently dropped.
 */
export function serverOrigin(serverUrl: string): string {
  let url: URL;
  try {
    url = new URL(serverUrl.trim());
  } catch {
    throw new TypeError(`'${serverUrl}' is not a valid server address.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ServiceError('insecure_url', {
      message: `Only https:// server addresses are allowed, not ${url.protocol}//.`,
    });
  }
  if (url.username || url.password) {
    throw new TypeError('A server address must not contain a user name or password.');
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new TypeError(
      `A server address is an origin such as https://help.example.com, not '${serverUrl}'.`,
    );
  }
  return url.origin;
}

/**
 * The origin to talk to, or ServiceError `insecure_url` for plain http:// unless the host is a
 * loopback address and `allowInsecureLoopback` is set (development only).
 */
export function checkedServerOrigin(serverUrl: string, allowInsecureLoopback = false): string {
  const origin = serverOrigin(serverUrl);
  const url = new URL(origin);
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new ServiceError('insecure_url', {
        message: `Plain http:// is not allowed for ${url.host}: use https://.`,
      });
    }
    if (!allowInsecureLoopback) {
      throw new ServiceError('insecure_url', {
        message: `Plain http:// to ${url.host} is allowed only in development, when explicitly enabled.`,
      });
    }
  }
  return origin;
}
