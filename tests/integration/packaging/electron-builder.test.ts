import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATES_PREFIX } from '../../../src-server/routes/update-routes';
import { isBuiltin, packageNameOf } from '../../lint/layers-rule';
import { TempDirs } from '../../support/sync-harness';
import { UPDATER_CACHE_DIR } from '../../support/installed-app';
import { AsarArchive } from './asar-archive';

// `npm run build`, then electron-builder with the project's electron-builder.yml, offline: `--dir`
// (no installer) against a stand-in Electron distribution, because the real one cannot be
// downloaded here, and without rebuilding the native modules (that needs Electron's headers).
// What it checks is what the installers would contain: app.asar and app.asar.unpacked.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MB = 1024 * 1024;

/** What the app loads at run time besides its bundles: the native modules and their requires. */
const PACKAGED_MODULES = ['better-sqlite3', 'bindings', 'file-uri-to-path', 'keytar'];
const NATIVE_ADDONS = [
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/keytar/build/Release/keytar.node',
];

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n` +
        `${result.stdout}\n${result.stderr}`,
    );
  }
}

/** A folder electron-builder accepts as an unpacked Electron for Linux: the executable suffices. */
function standInElectron(dir: string): string {
  mkdirSync(dir);
  const executable = path.join(dir, 'electron');
  writeFileSync(executable, '#!/bin/sh\necho "stand-in for the Electron binary" >&2\nexit 1\n');
  chmodSync(executable, 0o755);
  return dir;
}

/** The packages a CommonJS file requires by bare name, e.g. 'bindings' for require("bindings/x"). */
function requiredPackages(code: string): string[] {
  const specifiers = [...code.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)];
  return [...new Set(specifiers.map((m) => packageNameOf(m[1] ?? '')))];
}

const temp = new TempDirs();
let resources: string;
let asar: AsarArchive;
let paths: string[];
/** The packages in the archive's node_modules. */
let modules: string[];

beforeAll(() => {
  const work = temp.make('helpdesk-packaging-');
  run(NPM, ['run', 'build']);
  run(path.join(ROOT, 'node_modules', '.bin', 'electron-builder'), [
    '--dir',
    '--linux',
    '--x64',
    `-c.electronDist=${standInElectron(path.join(work, 'electron'))}`,
    '-c.npmRebuild=false',
    `-c.directories.output=${path.join(work, 'out')}`,
  ]);
  resources = path.join(work, 'out', 'linux-unpacked', 'resources');
  asar = new AsarArchive(path.join(resources, 'app.asar'));
  paths = [...asar.files.keys()];
  const inModules = paths.filter((p) => p.startsWith('node_modules/'));
  modules = [
    ...new Set(inModules.map((p) => packageNameOf(p.slice('node_modules/'.length)))),
  ].sort();
}, 300_000);

afterAll(() => temp.cleanup());

describe('electron-builder --dir (offline, stand-in Electron)', () => {
  it('packs the main, preload and renderer bundles, and package.json points at the main one', () => {
    expect(paths).toContain('dist/main.cjs');
    expect(paths).toContain('dist/preload.cjs');
    expect(paths).toContain('dist/renderer/index.html');
    expect(paths.some((p) => /^dist\/renderer\/.+\.js$/.test(p))).toBe(true);
    const { main } = JSON.parse(asar.readText('package.json')) as { main?: string };
    expect(main).toBe('dist/main.cjs');
    expect(asar.files.get(path.posix.normalize(main ?? ''))?.unpacked).toBe(false);
  });

  it('packs only production files', () => {
    expect(new Set(paths.map((p) => p.split('/')[0]))).toEqual(
      new Set(['dist', 'node_modules', 'package.json']),
    );
    expect(modules).toEqual(PACKAGED_MODULES);
    for (const excluded of [
      'src-server/',
      'src-main/',
      'tests/',
      '.data/',
      'node_modules/fastify/',
    ])
      expect(paths.filter((p) => p.startsWith(excluded))).toEqual([]);
    expect(paths.filter((p) => /\.(ts|tsx|mts|cts|map)$/.test(p))).toEqual([]);
    expect(paths.filter((p) => /\/(src|deps)\/|\.(c|cc|cpp|h|hpp|a|o|gyp)$/.test(p))).toEqual([]);
  });

  it('packs every package the main bundle and the packaged modules require', () => {
    const sources = paths.filter(
      (p) => p === 'dist/main.cjs' || (p.startsWith('node_modules/') && p.endsWith('.js')),
    );
    const missing = sources.flatMap((source) =>
      requiredPackages(asar.readText(source))
        .filter((name) => name !== 'electron' && !isBuiltin(name) && !modules.includes(name))
        .map((name) => `${source} requires ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('unpacks the native addons next to the archive', () => {
    for (const addon of NATIVE_ADDONS) {
      expect(asar.files.get(addon)?.unpacked, addon).toBe(true);
      const unpacked = path.join(resources, 'app.asar.unpacked', addon);
      expect(existsSync(unpacked), unpacked).toBe(true);
      expect(statSync(unpacked).size).toBe(statSync(path.join(ROOT, addon)).size);
    }
  });

  it('names the update feed in resources/app-update.yml, which electron-updater reads', () => {
    const lines = readFileSync(path.join(resources, 'app-update.yml'), 'utf8').split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'provider: generic',
        expect.stringMatching(new RegExp(`^url: https://[^/]+${UPDATES_PREFIX}/$`)),
        'useMultipleRangeRequest: false',
        `updaterCacheDirName: ${UPDATER_CACHE_DIR}`,
      ]),
    );
  });

  it('keeps the archive small', () => {
    expect(statSync(path.join(resources, 'app.asar')).size).toBeLessThan(10 * MB);
  });
});
