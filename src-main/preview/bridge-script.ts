import path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from './project';

export const BRIDGE_SCRIPT_PATH = '/__preview/bridge.js';

/** src-renderer/loopback/loopback-bridge.ts as one classic script for the browser. */
export async function bundleLoopbackBridge(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(PROJECT_ROOT, 'src-renderer/loopback/loopback-bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no bridge script.');
  return output.text;
}

/**
 * index.html with the bridge script before its first script, so `window.helpdesk` exists before
 * the app's module script runs (a classic script runs at once; a module script waits).
 */
export function injectBridgeScript(html: string): string {
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;
  const at = html.search(/<script\b/i);
  if (at !== -1) return `${html.slice(0, at)}${tag}\n    ${html.slice(at)}`;
  const headEnd = html.search(/<\/head>/i);
  return headEnd === -1
    ? `${tag}\n${html}`
    : `${html.slice(0, headEnd)}${tag}\n${html.slice(headEnd)}`;
}
