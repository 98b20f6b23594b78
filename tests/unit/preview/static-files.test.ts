import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStaticFile } from '../../../src-main/preview/static-files';
import { TempDirs } from '../../support/sync-harness';

const dirs = new TempDirs();
let root: string;

beforeAll(() => {
  const base = dirs.make('helpdesk-static-');
  writeFileSync(join(base, 'secret.json'), '{}');
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'a b.js'), '');
  writeFileSync(join(root, 'assets', 'notes.txt'), '');
  symlinkSync(join(base, 'secret.json'), join(root, 'assets', 'link.json'));
});
afterAll(() => dirs.cleanup());

describe('resolveStaticFile', () => {
  it('serves index.html for / and files by their decoded names', () => {
    expect(resolveStaticFile('/', root)).toMatchObject({
      status: 200,
      file: join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveStaticFile('/?x=1', root)).toMatchObject({ status: 200 });
    expect(resolveStaticFile('/assets/a%20b.js?v=2', root)).toMatchObject({
      status: 200,
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('refuses every attempt to leave the folder, symlinks included', () => {
    for (const url of [
      '/../secret.json',
      '/%2e%2e/secret.json',
      '/assets/%2E%2E/%2e%2e/secret.json',
      '/assets/..%2f..%2fsecret.json',
      '/assets/..%5c..%5csecret.json',
      '/assets//index.html',
      '/./index.html',
      '/assets/%00.js',
      '/C:%5cwindows.js',
      '/%E0%A4%A.js',
      'index.html',
      '/assets/link.json',
    ]) {
      expect(resolveStaticFile(url, root).status, url).toBe(403);
    }
  });

  it('answers 404 for what is missing or of a type the build never makes', () => {
    expect(resolveStaticFile('/assets/missing.js', root).status).toBe(404);
    expect(resolveStaticFile('/assets/notes.txt', root).status).toBe(404);
    expect(resolveStaticFile('/assets.js', root).status).toBe(404);
  });
});
