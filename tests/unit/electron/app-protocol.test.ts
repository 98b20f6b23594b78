import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  registerAppProtocol,
  resolveAppRequest,
} from '../../../src-main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/security';

// app-protocol.ts takes the protocol object as a parameter; this stand-in fails loudly if it ever
// reaches for the real module at runtime.
vi.mock('electron', () => {
  throw new Error('app-protocol.ts must not import electron at runtime');
});

let base: string;
let root: string;

const FILES: Record<string, string> = {
  'index.html': '<!doctype html><title>Help desk</title>',
  'main.js': 'console.log("renderer")',
  'main.js.map': '{"version":3}',
  'style.css': 'body{}',
  'logo.svg': '<svg/>',
  'logo.png': '\x89PNG',
  'favicon.ico': 'ico',
  'manifest.json': '{}',
  'fonts/inter.woff2': 'wOF2',
  'notes.txt': 'not a build output',
};

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'app-protocol-'));
  root = path.join(base, 'renderer');
  for (const [name, content] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  mkdirSync(path.join(root, 'dir.js'));
  writeFileSync(path.join(base, 'secret.js'), 'outside the root');
  writeFileSync(path.join(base, 'renderer-evil.js'), 'sibling with the root as prefix');
  symlinkSync(path.join(base, 'secret.js'), path.join(root, 'escape.js'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string) => resolveAppRequest('GET', url, root);

describe('resolveAppRequest', () => {
  it('serves / and the bare origin as index.html', () => {
    for (const url of [
      'app://helpdesk/',
      'app://helpdesk',
      'app://helpdesk/?x=1',
      'app://helpdesk/#a',
    ]) {
      expect(get(url), url).toEqual({
        status: 200,
        file: path.join(root, 'index.html'),
        mimeType: 'text/html; charset=utf-8',
      });
    }
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['main.js', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['logo.png', 'image/png'],
    ['favicon.ico', 'image/x-icon'],
    ['manifest.json', 'application/json; charset=utf-8'],
    ['fonts/inter.woff2', 'font/woff2'],
    ['main.js.map', 'application/json; charset=utf-8'],
  ])('serves %s as %s', (name, mimeType) => {
    expect(get(`app://helpdesk/${name}?v=2#top`)).toEqual({
      status: 200,
      file: path.join(root, name),
      mimeType,
    });
  });

  it('decodes percent-encoded names', () => {
    writeFileSync(path.join(root, 'a b.js'), '');
    expect(get('app://helpdesk/a%20b.js')).toMatchObject({ status: 200 });
  });

  it('allows GET and HEAD only', () => {
    expect(resolveAppRequest('HEAD', 'app://helpdesk/main.js', root)).toMatchObject({
      status: 200,
    });
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'get', 'TRACE']) {
      expect(resolveAppRequest(method, 'app://helpdesk/main.js', root), method).toEqual({
        status: 405,
      });
    }
  });

  it('accepts only the exact host helpdesk', () => {
    for (const url of [
      'app://evil/main.js',
      'app://HELPDESK/main.js',
      'app://helpdesk:80/main.js',
      'app://user@helpdesk/main.js',
      'app://helpdesk.evil/main.js',
      'app:///main.js',
      'app://helpdesk\\main.js',
      'https://helpdesk/main.js',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(get(url), url).toEqual({ status: 403 });
    }
  });

  it('refuses every attempt to leave the root with 403', () => {
    for (const url of [
      'app://helpdesk/../etc/passwd',
      'app://helpdesk/../secret.js',
      'app://helpdesk/./main.js',
      'app://helpdesk/fonts/../main.js',
      'app://helpdesk/%2e%2e/secret.js',
      'app://helpdesk/%2E%2E/secret.js',
      'app://helpdesk/.%2e/secret.js',
      'app://helpdesk/..%2fsecret.js',
      'app://helpdesk/..%2Fsecret.js',
      'app://helpdesk/%2fetc%2fpasswd',
      'app://helpdesk/..%5csecret.js',
      'app://helpdesk/%5c..%5csecret.js',
      'app://helpdesk/..\\secret.js',
      'app://helpdesk//etc/passwd',
      'app://helpdesk/fonts//inter.woff2',
      'app://helpdesk/fonts/', // empty segments are refused too
      'app://helpdesk/main.js%00.png',
      'app://helpdesk/main.js%00',
      'app://helpdesk/main.js\u0000',
      'app://helpdesk/C:%5cWindows%5cwin.ini',
      'app://helpdesk/%E0%A4%A.js', // malformed escape
      'app://helpdesk/%',
    ]) {
      expect(get(url), url).toEqual({ status: 403 });
    }
  });

  it('refuses a symlink that points outside the root', () => {
    expect(get('app://helpdesk/escape.js')).toEqual({ status: 403 });
  });

  it('does not confuse a sibling folder sharing the root as prefix', () => {
    // '/renderer-evil.js' is the root's sibling; a request can only name files under the root.
    expect(get('app://helpdesk/renderer-evil.js')).toEqual({ status: 404 });
  });

  it('is 404 for unknown files, folders and types it does not serve', () => {
    for (const url of [
      'app://helpdesk/missing.js',
      'app://helpdesk/fonts/missing.woff2',
      'app://helpdesk/dir.js',
      'app://helpdesk/fonts',
      'app://helpdesk/notes.txt',
      'app://helpdesk/%252e%252e/secret.js', // decoded once only: a literal name
      'app://helpdesk/tickets/42',
    ]) {
      expect(get(url), url).toEqual({ status: 404 });
    }
    expect(resolveAppRequest('GET', 'app://helpdesk/', path.join(base, 'nope'))).toEqual({
      status: 404,
    });
  });
});

describe('APP_SCHEME_PRIVILEGES', () => {
  it('makes app: a standard, secure scheme that supports fetch', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });
});

/** A stand-in Protocol that records the handler. */
function registeredHandler() {
  const protocol = { handle: vi.fn() };
  registerAppProtocol(protocol as any, root);
  expect(protocol.handle).toHaveBeenCalledOnce();
  const [scheme, handler] = protocol.handle.mock.calls[0]!;
  expect(scheme).toBe('app');
  return handler as (request: Request) => Promise<Response>;
}

describe('registerAppProtocol', () => {
  it('responds with the file bytes, its content type and the CSP', async () => {
    const handler = registeredHandler();
    for (const [name, type] of [
      ['main.js', 'text/javascript; charset=utf-8'],
      ['logo.png', 'image/png'],
    ] as const) {
      const response = await handler(new Request(`app://helpdesk/${name}`));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(FILES[name]!, 'utf8'));
    }
    const index = await handler(new Request('app://helpdesk/'));
    expect(await index.text()).toBe(FILES['index.html']);
  });

  it('answers HEAD without a body', async () => {
    const response = await registeredHandler()(
      new Request('app://helpdesk/main.js', { method: 'HEAD' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.body).toBeNull();
  });

  it('answers 403, 404 and 405 with the CSP and no body', async () => {
    const handler = registeredHandler();
    const cases: [Request, number][] = [
      [new Request('app://evil/main.js'), 403],
      [new Request('app://helpdesk/..%2fsecret.js'), 403],
      [new Request('app://helpdesk/%5csecret.js'), 403],
      [new Request('app://helpdesk//etc/passwd'), 403],
      [new Request('app://helpdesk/main.js%00'), 403],
      [new Request('app://helpdesk/escape.js'), 403],
      // Request's own parsing folds '..' away: what is left is looked up inside the root only.
      [new Request('app://helpdesk/../etc/passwd'), 404],
      [new Request('app://helpdesk/%2e%2e/secret.js'), 404],
      [new Request('app://helpdesk/missing.js'), 404],
      [new Request('app://helpdesk/main.js', { method: 'POST', body: 'x' }), 405],
      [new Request('app://helpdesk/main.js', { method: 'DELETE' }), 405],
    ];
    for (const [request, status] of cases) {
      const response = await handler(request);
      expect(response.status, `${request.method} ${request.url}`).toBe(status);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.body).toBeNull();
    }
  });
});
