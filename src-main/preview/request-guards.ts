import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A new access token for one preview run: 32 random bytes, base64url. */
export function newPreviewToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The origins a preview page can have: the loopback address, or localhost, on the preview's port. */
export function previewOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * DNS-rebinding defence: a page on another site whose name now resolves to 127.0.0.1 still sends
 * its own name in Host, so only the loopback names are served.
 */
export function isPreviewHost(host: string | undefined, port: number): boolean {
  return host !== undefined && previewOrigins(port).includes(`http://${host}`);
}

/** Another site's page may send requests here, but the browser names it in Origin. */
export function isPreviewOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || previewOrigins(port).includes(origin);
}

/** `Authorization: Bearer <token>`, compared in constant time. */
export function hasPreviewToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
