import type { WebPreferences } from 'electron';

/**
 * The main window's webPreferences, per Electron's security checklist: an isolated, sandboxed
 * renderer without Node, web security on, no webview; its only way out is the preload's bridge.
 */
export function mainWindowWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
  };
}
