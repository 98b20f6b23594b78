import { readFile } from 'node:fs/promises';
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { RENDERER_CONTENT_TYPES } from '../../src-shared/bridge/renderer-content-types';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';

/**
 * For `protocol.registerSchemesAsPrivileged` before the app is ready: app: behaves like https
 * (standard URL parsing, a secure context, fetch allowed) so the renderer's own requests work.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
];

export type AppRequestResolution =
  { status: 200; file: string; mimeType: string } | { status: 403 | 404 | 405 };

const PREFIX = `${APP_SCHEME}://`;

/**
 * Maps a request on app://helpdesk/ to a file inside rendererRoot. The raw URL string is checked,
 * not a parsed URL, because WHATWG parsing would silently fold `..` away: any attempt to leave the
 * root (dot segments, encoded or not, backslashes, empty segments, NUL, control characters) is a
 * 403 rather than a quietly normalised request. Symlinks are followed and must stay inside too.
 */
export function resolveAppRequest(
  method: string,
  url: string,
  rendererRoot: string,
): AppRequestResolution {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405 };
  if (url.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return { status: 403 };
  const rest = url.slice(PREFIX.length);
  const authorityEnd = rest.search(/[/?#\\]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  if (authority !== APP_HOST) return { status: 403 };
  const afterAuthority = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const queryStart = afterAuthority.search(/[?#]/);
  const rawPath = queryStart === -1 ? afterAuthority : afterAuthority.slice(0, queryStart);
  if (rawPath === '' || rawPath === '/') return serve(rendererRoot, ['index.html']);
  if (!rawPath.startsWith('/')) return { status: 403 };

  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { status: 403 };
    }
    if (!isSafeSegment(segment)) return { status: 403 };
    segments.push(segment);
  }
  return serve(rendererRoot, segments);
}

function isSafeSegment(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..') return false;
  // Separators of any platform, drive letters and streams (:), and control characters incl. NUL.
  // eslint-disable-next-line no-control-regex
  return !/[/\\:\u0000-\u001f\u007f]/.test(segment);
}

function serve(rendererRoot: string, segments: string[]): AppRequestResolution {
  const mimeType =
    RENDERER_CONTENT_TYPES[path.extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (mimeType === undefined) return { status: 404 };
  let root: string;
  let file: string;
  try {
    root = realpathSync(rendererRoot);
    file = realpathSync(path.join(root, ...segments));
  } catch {
    return { status: 404 };
  }
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { status: 403 };
  }
  try {
    if (!statSync(file).isFile()) return { status: 404 };
  } catch {
    return { status: 404 };
  }
  return { status: 200, file, mimeType };
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

/** Serves the built renderer on app://helpdesk/ from rendererRoot, CSP on every response. */
export function registerAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  rendererRoot: string,
): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const resolved = resolveAppRequest(request.method, request.url, rendererRoot);
    if (resolved.status !== 200) {
      return new Response(null, { status: resolved.status, headers: SECURITY_HEADERS });
    }
    let body: Uint8Array<ArrayBuffer> | null = null;
    if (request.method === 'GET') {
      try {
        body = new Uint8Array(await readFile(resolved.file));
      } catch {
        return new Response(null, { status: 404, headers: SECURITY_HEADERS });
      }
    }
    return new Response(body, {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': resolved.mimeType },
    });
  });
}
