import { describe, expect, it, vi } from 'vitest';
import { mainWindowWebPreferences } from '../../../src-main/electron/window-options';

vi.mock('electron', () => {
  throw new Error('window-options.ts must not import electron at runtime');
});

describe('mainWindowWebPreferences', () => {
  it('isolates and sandboxes the renderer, without Node, with web security on', () => {
    const prefs = mainWindowWebPreferences('/app/dist/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: '/app/dist/preload.cjs',
    });
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });
});
