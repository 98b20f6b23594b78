import { describe, expect, it } from 'vitest';
import { parseBridgeError, signInErrorText } from '../../../../src-renderer/lib/bridge-error';

describe('parseBridgeError', () => {
  it('reads the code the preload puts in the message', () => {
    expect(parseBridgeError(new Error('[unauthorized] Wrong tenant, email or password.'))).toEqual({
      code: 'unauthorized',
      message: 'Wrong tenant, email or password.',
    });
    expect(parseBridgeError(new Error('Error: [tls_untrusted] x'))).toEqual({
      code: 'tls_untrusted',
      message: 'x',
    });
  });

  it('falls back to a code property, then to internal', () => {
    const coded = Object.assign(new Error('No route.'), { code: 'network' });
    expect(parseBridgeError(coded)).toEqual({ code: 'network', message: 'No route.' });
    expect(parseBridgeError('boom')).toEqual({ code: 'internal', message: 'boom' });
  });
});

describe('signInErrorText', () => {
  it('names the cause in the words the sign-in screen promises', () => {
    const text = (code: string) => signInErrorText({ code, message: `server said ${code}` });
    expect(text('unauthorized').toLowerCase()).toContain('wrong email or password');
    expect(text('network')).toContain('cannot reach the service');
    for (const code of ['tls_untrusted', 'tls_expired', 'tls_hostname', 'tls_pin_mismatch']) {
      expect(text(code)).toContain('certificate');
      expect(text(code)).toContain('not trusted');
    }
    expect(text('rate_limited')).toBe('server said rate_limited');
  });
});
