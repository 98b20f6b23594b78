import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

// The sandboxed preload can require nothing but 'electron': build it as `npm run build:preload`
// does and read what the bundle requires.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-preload-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('preload bundle', () => {
  it("requires only 'electron' and exposes only the bridge", async () => {
    const outfile = path.join(outDir, 'preload.cjs');
    await build({
      entryPoints: [path.join(ROOT, 'src-main/electron/preload.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      outfile,
      logLevel: 'silent',
    });
    const code = readFileSync(outfile, 'utf8');
    expect(code.match(/\brequire\s*\([^)]*\)/g)).toEqual(['require("electron")']);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/process\.env/);
    const exposures = [...code.matchAll(/exposeInMainWorld\(([^)]*)\)/g)].map((m) => m[1]);
    expect(exposures).toEqual(['"helpdesk", bridge']);
  });
});
