import { describe, expect, it, vi } from 'vitest';
import {
  applyAppSecurity,
  applySessionSecurity,
  CONTENT_SECURITY_POLICY,
  externalWebUrl,
  isAppUrl,
} from '../../../src-main/electron/security';

vi.mock('electron', () => {
  throw new Error('security.ts must not import electron at runtime');
});

/** A stand-in Session recording its handlers. */
function fakeSession() {
  const session = {
    onHeadersReceived: undefined as any,
    permissionRequest: undefined as any,
    permissionCheck: undefined as any,
    webRequest: { onHeadersReceived: (handler: any) => (session.onHeadersReceived = handler) },
    setPermissionRequestHandler: (handler: any) => (session.permissionRequest = handler),
    setPermissionCheckHandler: (handler: any) => (session.permissionCheck = handler),
  };
  return session;
}

/** A stand-in App and the WebContents it creates. */
function createdContents() {
  let created: any;
  const app = { on: vi.fn((name: string, listener: any) => (created = { name, listener })) };
  applyAppSecurity(app as any);
  const handlers = new Map<string, any>();
  const contents = {
    on: (name: string, handler: any) => handlers.set(name, handler),
    windowOpenHandler: undefined as any,
    setWindowOpenHandler(handler: any) {
      this.windowOpenHandler = handler;
    },
  };
  expect(created.name).toBe('web-contents-created');
  created.listener({}, contents);
  return { handlers, contents };
}

const preventable = () => ({ preventDefault: vi.fn() });

describe('CSP', () => {
  it('is the strict policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('is set on every response, replacing a weaker one', () => {
    const session = fakeSession();
    applySessionSecurity(session as any);
    const responses = [
      { url: 'app://helpdesk/', responseHeaders: { 'Content-Type': ['text/html'] } },
      {
        url: 'app://helpdesk/main.js',
        responseHeaders: { 'content-security-policy': ['default-src *'] },
      },
      { url: 'https://help.example.com/api/v1/pull' },
    ];
    for (const details of responses) {
      const callback = vi.fn();
      session.onHeadersReceived(details, callback);
      const headers = callback.mock.calls[0]![0].responseHeaders;
      const csp = Object.entries(headers).filter(
        ([name]) => name.toLowerCase() === 'content-security-policy',
      );
      expect(csp).toEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
    }
  });
});

describe('CSP with the dev server of npm run dev', () => {
  const DEV_POLICY = "default-src 'self'; script-src 'self' 'nonce-abc'";
  const cspOf = (session: ReturnType<typeof fakeSession>, details: object) => {
    const callback = vi.fn();
    session.onHeadersReceived(details, callback);
    return Object.entries(callback.mock.calls[0]![0].responseHeaders).filter(
      ([name]) => name.toLowerCase() === 'content-security-policy',
    );
  };

  it("keeps the dev server's own policy on its responses only", () => {
    const session = fakeSession();
    applySessionSecurity(session as any, 'http://127.0.0.1:5173');
    const devHeaders = { 'Content-Security-Policy': [DEV_POLICY] };
    expect(
      cspOf(session, { url: 'http://127.0.0.1:5173/src/main.tsx', responseHeaders: devHeaders }),
    ).toEqual([['Content-Security-Policy', [DEV_POLICY]]]);
    for (const url of ['http://127.0.0.1:5174/', 'http://localhost:5173/', 'app://helpdesk/']) {
      expect(cspOf(session, { url, responseHeaders: devHeaders })).toEqual([
        ['Content-Security-Policy', [CONTENT_SECURITY_POLICY]],
      ]);
    }
    // A dev server response without a policy still gets the strict one.
    expect(cspOf(session, { url: 'http://127.0.0.1:5173/x.js', responseHeaders: {} })).toEqual([
      ['Content-Security-Policy', [CONTENT_SECURITY_POLICY]],
    ]);
  });
});

describe('permissions', () => {
  it('denies every request and check', () => {
    const session = fakeSession();
    applySessionSecurity(session as any);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequest({}, permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(session.permissionCheck({}, permission, 'app://helpdesk', {})).toBe(false);
    }
  });
});

describe('web contents', () => {
  it.each(['will-navigate', 'will-redirect'])('%s is denied off the app origin', (name) => {
    const { handlers } = createdContents();
    for (const url of [
      'https://evil.example/',
      'http://helpdesk/',
      'file:///etc/passwd',
      'app://other/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const event = preventable();
      handlers.get(name)(event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    const inApp = preventable();
    handlers.get(name)(inApp, 'app://helpdesk/tickets');
    expect(inApp.preventDefault).not.toHaveBeenCalled();
  });

  it('denies window.open and webview', () => {
    const { handlers, contents } = createdContents();
    expect(contents.windowOpenHandler({ url: 'app://helpdesk/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
    const event = preventable();
    handlers.get('will-attach-webview')(event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('externalWebUrl', () => {
  it('lets only https links without credentials go to the OS browser', () => {
    expect(externalWebUrl('https://billing.example/portal?a=1')).toBe(
      'https://billing.example/portal?a=1',
    );
    for (const url of [
      'http://billing.example/',
      'https://user:pw@billing.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-settings:',
      'not a url',
    ]) {
      expect(externalWebUrl(url), url).toBeNull();
    }
  });
});

describe('isAppUrl', () => {
  it('accepts only app://helpdesk', () => {
    expect(isAppUrl('app://helpdesk/')).toBe(true);
    expect(isAppUrl('app://helpdesk/x#y')).toBe(true);
    expect(isAppUrl('app://HELPDESK/')).toBe(false); // exact host
    expect(isAppUrl('app://helpdesk:8080/')).toBe(false);
    expect(isAppUrl('app://a@helpdesk/')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
});
