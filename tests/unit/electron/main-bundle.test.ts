import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// dist/main.cjs must load with what a packaged app has: Electron, the two native modules (kept
// out of the bundle, unpacked from the asar) and Node's built-ins. Built by the very command of
// `npm run build:main`, into a folder of its own.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-main-bundle-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const EXTERNALS = ['electron', 'better-sqlite3', 'keytar'];

describe('main bundle', () => {
  it('is the package main, built from main.ts', () => {
    expect(pkg.main).toBe('dist/main.cjs');
    expect(pkg.scripts['build:main']).toMatch(
      /^esbuild src-main\/electron\/main\.ts .*--outfile=dist\/main\.cjs$/,
    );
  });

  it('requires only electron, better-sqlite3, keytar and Node built-ins', async () => {
    const outfile = path.join(outDir, 'main.cjs');
    const args = (pkg.scripts['build:main'] as string)
      .split(' ')
      .slice(1)
      .map((arg) => (arg.startsWith('--outfile=') ? `--outfile=${outfile}` : arg));
    await promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'esbuild'), args, {
      cwd: ROOT,
    });
    const code = readFileSync(outfile, 'utf8');
    const required = new Set(
      [...code.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1]!),
    );
    const builtins = new Set(builtinModules);
    const others = [...required].filter(
      (name) => !EXTERNALS.includes(name) && !builtins.has(name.replace(/^node:/, '')),
    );
    expect(others).toEqual([]);
    // Each external is required as such (keytar's lazy import() included), not bundled.
    for (const name of EXTERNALS) expect(required, name).toContain(name);
    expect(code).not.toMatch(/\brequire\(\s*[^"\s)]/); // no require of a computed name
  });
});
