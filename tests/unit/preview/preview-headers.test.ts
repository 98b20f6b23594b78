import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-shared/bridge/content-security-policy';
import { injectBridgeScript } from '../../../src-main/preview/bridge-script';
import {
  devContentSecurityPolicy,
  securityHeaders,
} from '../../../src-main/preview/preview-headers';

const TAG = '<script src="/__preview/bridge.js"></script>';

describe('preview headers and page', () => {
  it("sends the Electron shell's CSP and the other security headers", () => {
    expect(securityHeaders()).toEqual({
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
  });

  it('loosens the dev CSP only for the nonce, inline styles and its own WebSocket', () => {
    const csp = devContentSecurityPolicy('abc', ['http://127.0.0.1:9', 'http://localhost:9']);
    expect(csp).toContain("script-src 'self' 'nonce-abc';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:9 ws://localhost:9;");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp.split('; ').length).toBe(CONTENT_SECURITY_POLICY.split('; ').length);
  });

  it('puts the bridge script before the first script, else at the end of head', () => {
    const html =
      '<head><SCRIPT type="module" src="/a.js"></SCRIPT><script src="/b.js"></script></head>';
    const injected = injectBridgeScript(html);
    expect(injected.indexOf(TAG)).toBeLessThan(injected.indexOf('<SCRIPT'));
    expect(injected.split(TAG)).toHaveLength(2);
    expect(injectBridgeScript('<head><title>x</title></head><body></body>')).toBe(
      `<head><title>x</title>${TAG}\n</head><body></body>`,
    );
    expect(injectBridgeScript('<p>bare</p>')).toBe(`${TAG}\n<p>bare</p>`);
  });
});
