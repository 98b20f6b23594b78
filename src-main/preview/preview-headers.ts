import { CONTENT_SECURITY_POLICY } from '../../src-shared/bridge/content-security-policy';

/** What every preview response carries, the renderer's CSP first (the same as Electron's). */
export function securityHeaders(csp = CONTENT_SECURITY_POLICY): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

/**
 * The CSP of `npm run dev` only: Vite's hot reload adds inline scripts (given this nonce), inline
 * styles, and a WebSocket back to the page's own host. Everything else stays as strict.
 */
export function devContentSecurityPolicy(nonce: string, origins: readonly string[]): string {
  const extra: Record<string, string[]> = {
    'script-src': [`'nonce-${nonce}'`],
    'style-src': ["'unsafe-inline'"],
    'connect-src': origins.map((origin) => origin.replace(/^http/, 'ws')),
  };
  return CONTENT_SECURITY_POLICY.split('; ')
    .map((directive) => {
      const name = directive.split(' ', 1)[0] ?? '';
      return [directive, ...(extra[name] ?? [])].join(' ');
    })
    .join('; ');
}
