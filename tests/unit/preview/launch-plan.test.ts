import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildScriptFor,
  chooseLaunch,
  demoEnvironment,
  ELECTRON_MISSING,
  findElectronBinary,
  previewBanner,
  rendererBuildIsStale,
} from '../../../src-main/preview/launch-plan';

const packageDir = '/p/node_modules/electron';

describe('launch plan', () => {
  it('finds the binary named by path.txt only when it exists', () => {
    const binary = path.join(packageDir, 'dist', 'electron');
    expect(findElectronBinary({ packageDir, pathTxt: 'electron\n' }, (f) => f === binary)).toBe(
      binary,
    );
    expect(findElectronBinary({ packageDir, pathTxt: 'electron' }, () => false)).toBeNull();
    expect(findElectronBinary({ packageDir, pathTxt: null }, () => true)).toBeNull();
    expect(findElectronBinary({ packageDir, pathTxt: '  ' }, () => true)).toBeNull();
    expect(
      findElectronBinary({ packageDir, pathTxt: null, overrideDist: '/opt/e' }, () => true),
    ).toBe(path.join('/opt/e', 'electron'));
  });

  it('opens Electron when its binary is there, else the preview with one clear line', () => {
    expect(chooseLaunch('/bin/electron')).toEqual({ shell: 'electron', binary: '/bin/electron' });
    const preview = chooseLaunch(null);
    expect(preview).toEqual({ shell: 'preview', notice: ELECTRON_MISSING });
    expect(ELECTRON_MISSING).not.toContain('\n');
    expect(ELECTRON_MISSING).toContain('node node_modules/electron/install.js');
    expect(ELECTRON_MISSING).toMatch(/browser preview instead\.$/);
  });

  it('builds the whole app for Electron and the renderer alone for the preview', () => {
    const electron = chooseLaunch('/bin/electron');
    const preview = chooseLaunch(null);
    const scripts = { build: 'x', 'build:renderer': 'y' };
    expect(buildScriptFor(electron, scripts)).toBe('build');
    expect(buildScriptFor(electron, { 'build:renderer': 'y' })).toBe('build:renderer');
    expect(buildScriptFor(preview, scripts)).toBe('build:renderer');
    expect(buildScriptFor(preview, { build: 'x' })).toBeNull();
  });

  it('points Electron at the demo service', () => {
    expect(demoEnvironment('/d/ca.pem')).toEqual({
      HELPDESK_DEMO_SERVER: 'https://127.0.0.1:8443',
      HELPDESK_DEMO_CA: '/d/ca.pem',
      HELPDESK_DEMO_TENANT: 'acme',
      HELPDESK_DEMO_EMAIL: 'agent1@acme.test',
    });
  });

  it('rebuilds the renderer when the build is missing or older than a source', () => {
    expect(rendererBuildIsStale(null, 0)).toBe(true);
    expect(rendererBuildIsStale(100, 200)).toBe(true);
    expect(rendererBuildIsStale(200, 200)).toBe(false);
    expect(rendererBuildIsStale(300, 200)).toBe(false);
  });

  it('prints the URL, and for the demo the password, in lines of their own', () => {
    const lines = previewBanner('http://127.0.0.1:1/#token=t', true);
    expect(lines[0]).toBe('Help desk preview: http://127.0.0.1:1/#token=t');
    expect(lines.some((line) => line.includes('demo-password-1'))).toBe(true);
    expect(previewBanner('u', false).some((line) => line.includes('password'))).toBe(false);
  });
});
