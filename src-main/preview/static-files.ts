import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { RENDERER_CONTENT_TYPES } from '../../src-shared/bridge/renderer-content-types';

export type StaticFile = { status: 200; file: string; contentType: string } | { status: 403 | 404 };

/** A path segment as it names a file: decoded, and refused when it could leave its folder. */
function fileNameOf(rawSegment: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(rawSegment);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  const unsafe = name === '.' || name === '..' || name === '' || /[/\\:\u0000-\u001f]/.test(name);
  return unsafe ? null : name;
}

/**
 * The file of the renderer build a request path names. The raw path is checked segment by segment
 * (encoded dot segments and separators included): a request that tries to leave the folder is a
 * 403, never quietly normalised; a symlink must resolve inside the folder too.
 */
export function resolveStaticFile(rawUrl: string, rendererDir: string): StaticFile {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return { status: 403 };
  const names = rawPath === '/' ? ['index.html'] : rawPath.slice(1).split('/').map(fileNameOf);
  if (names.includes(null)) return { status: 403 };
  const contentType = RENDERER_CONTENT_TYPES[path.extname(names.at(-1) ?? '').toLowerCase()];
  if (!contentType) return { status: 404 };
  try {
    const root = realpathSync(rendererDir);
    const file = realpathSync(path.join(root, ...(names as string[])));
    if (!file.startsWith(root + path.sep)) return { status: 403 };
    return statSync(file).isFile() ? { status: 200, file, contentType } : { status: 404 };
  } catch {
    return { status: 404 };
  }
}
