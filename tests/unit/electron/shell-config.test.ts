import { describe, expect, it, vi } from 'vitest';
import { readShellConfig, rendererUrlCheck } from '../../../src-main/electron/shell-config';

vi.mock('electron', () => {
  throw new Error('shell-config.ts must not import electron at runtime');
});

const ENV = {
  HELPDESK_DEV_URL: 'http://127.0.0.1:5173/',
  HELPDESK_DEMO_SERVER: 'https://127.0.0.1:8443',
  HELPDESK_DEMO_TENANT: 'acme',
  HELPDESK_DEMO_EMAIL: 'agent1@acme.test',
  HELPDESK_DEMO_CA: '/tmp/demo/tls/ca.pem',
};

describe('readShellConfig', () => {
  it('a packaged app ignores every HELPDESK_* variable', () => {
    expect(readShellConfig(ENV, true)).toEqual({
      rendererUrl: 'app://helpdesk/',
      devOrigin: null,
      signInDefaults: null,
      demoCaFile: null,
    });
    // Even an invalid dev URL: it is not read at all.
    expect(readShellConfig({ HELPDESK_DEV_URL: 'https://evil.example/' }, true).rendererUrl).toBe(
      'app://helpdesk/',
    );
  });

  it('in development: the dev server, the demo sign-in defaults and CA', () => {
    expect(readShellConfig(ENV, false)).toEqual({
      rendererUrl: 'http://127.0.0.1:5173/',
      devOrigin: 'http://127.0.0.1:5173',
      signInDefaults: {
        serverUrl: 'https://127.0.0.1:8443',
        tenant: 'acme',
        email: 'agent1@acme.test',
      },
      demoCaFile: '/tmp/demo/tls/ca.pem',
    });
    expect(readShellConfig({}, false)).toEqual({
      rendererUrl: 'app://helpdesk/',
      devOrigin: null,
      signInDefaults: null,
      demoCaFile: null,
    });
  });

  it.each([
    'https://127.0.0.1:5173/',
    'http://localhost:5173/',
    'http://0.0.0.0:5173/',
    'http://example.com:5173/',
    'http://127.0.0.1/',
    'http://user:pw@127.0.0.1:5173/',
    'file:///tmp/index.html',
    'not a url',
  ])('refuses HELPDESK_DEV_URL=%s loudly', (url) => {
    expect(() => readShellConfig({ HELPDESK_DEV_URL: url }, false)).toThrow(/HELPDESK_DEV_URL/);
  });
});

describe('rendererUrlCheck', () => {
  it('without a dev server: the app origin only', () => {
    const check = rendererUrlCheck(null);
    expect(check('app://helpdesk/')).toBe(true);
    expect(check('http://127.0.0.1:5173/')).toBe(false);
  });

  it('with a dev server: the app origin and that exact origin', () => {
    const check = rendererUrlCheck('http://127.0.0.1:5173');
    expect(check('app://helpdesk/x')).toBe(true);
    expect(check('http://127.0.0.1:5173/tickets?x=1')).toBe(true);
    expect(check('http://127.0.0.1:5174/')).toBe(false);
    expect(check('https://127.0.0.1:5173/')).toBe(false);
    expect(check('http://localhost:5173/')).toBe(false);
    expect(check('not a url')).toBe(false);
  });
});
