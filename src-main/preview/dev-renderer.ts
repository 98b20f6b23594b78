import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import { injectBridgeScript } from './bridge-script';

export interface DevRendererOptions {
  /** Vite's root (the folder of index.html); default: the config file's, else the current folder. */
  root?: string;
  /** The Vite config file; default: Vite's own search in the root. */
  configFile?: string;
}

export interface DevRenderer {
  /** Given to Vite's inline scripts; the dev CSP allows exactly these. */
  nonce: string;
  indexHtml(url: string): Promise<string>;
  handle(request: IncomingMessage, response: ServerResponse, notFound: () => void): void;
  close(): Promise<void>;
}

/**
 * Vite's dev server in middleware mode inside the preview (`npm run dev`): modules compiled on
 * request, and hot reload over a WebSocket on the preview's own HTTP server.
 */
export async function startDevRenderer(
  httpServer: Server,
  options: DevRendererOptions,
): Promise<DevRenderer> {
  const { createServer } = await import('vite');
  const nonce = randomBytes(16).toString('base64');
  const vite = await createServer({
    configFile: options.configFile,
    ...(options.root ? { root: options.root } : {}),
    server: { middlewareMode: true, hmr: { server: httpServer } },
    appType: 'custom',
    html: { cspNonce: nonce },
    clearScreen: false,
  });
  return {
    nonce,
    async indexHtml(url) {
      const html = await readFile(path.join(vite.config.root, 'index.html'), 'utf8');
      return vite.transformIndexHtml(url, injectBridgeScript(html));
    },
    handle: (request, response, notFound) => vite.middlewares(request, response, notFound),
    close: () => vite.close(),
  };
}
