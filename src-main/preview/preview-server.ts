import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { isBridgeCallName, type BridgeResult } from '../../src-shared/bridge/bridge-client';
import type { CredentialStore } from '../core/credentials/credential-store';
import { KeytarCredentialStore } from '../core/credentials/keytar-credential-store';
import { RotatingLog } from '../core/diagnostics/rotating-log';
import { BridgeError } from '../core/services/bridge-error';
import { HelpdeskService } from '../core/services/helpdesk-service';
import { BRIDGE_SCRIPT_PATH, bundleLoopbackBridge, injectBridgeScript } from './bridge-script';
import { startDevRenderer, type DevRenderer, type DevRendererOptions } from './dev-renderer';
import { EventStreams } from './event-streams';
import { devContentSecurityPolicy, securityHeaders } from './preview-headers';
import { readPackageJson } from './project';
import {
  hasPreviewToken,
  isPreviewHost,
  isPreviewOrigin,
  newPreviewToken,
  previewOrigins,
} from './request-guards';
import { resolveStaticFile } from './static-files';

export interface PreviewOptions {
  /** The built renderer (dist/renderer, index.html at its root). */
  rendererDir: string;
  /** User-data folder of the HelpdeskService (replica, session). */
  dataDir: string;
  /** Default 0 = a free port; always binds 127.0.0.1 only. */
  port?: number;
  /** KeytarCredentialStore({ serviceSuffix }) so tests are isolated. */
  credentialServiceSuffix?: string;
  /** Use this store instead of the OS keychain (where none answers; see preview-credentials). */
  credentials?: CredentialStore;
  /** PEM the core trusts in addition (the demo service's CA). */
  trustedCa?: string;
  signInDefaults?: { serverUrl: string; tenant: string; email: string } | null;
  /** Use this service instead of creating one (it is then not closed with the preview). */
  service?: HelpdeskService;
  /** `npm run dev`: serve the renderer from Vite's dev server (hot reload) instead of rendererDir. */
  dev?: DevRendererOptions;
}

export interface PreviewServer {
  /** http://127.0.0.1:PORT/#token=<token>: what a person or Playwright opens. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  service: HelpdeskService;
  /** Closes the HTTP server, event streams, and the service it created. */
  close(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;

const failure = (code: string, message: string): BridgeResult<never> => ({
  ok: false,
  error: { code, message },
});

/** As the Electron IPC handlers: a BridgeError's code and message, nothing of any other error. */
function toFailure(error: unknown): BridgeResult<never> {
  if (error instanceof BridgeError) return failure(error.code, error.message);
  return failure('internal', 'Something went wrong.');
}

function createService(options: PreviewOptions): HelpdeskService {
  return new HelpdeskService({
    dataDir: options.dataDir,
    credentials:
      options.credentials ??
      new KeytarCredentialStore(
        options.credentialServiceSuffix ? { serviceSuffix: options.credentialServiceSuffix } : {},
      ),
    appInfo: {
      version: readPackageJson().version,
      shell: 'preview',
      signInDefaults: options.signInDefaults ?? null,
    },
    diagnostics: new RotatingLog({ dir: join(options.dataDir, 'logs') }),
    ...(options.trustedCa ? { clientOptions: { ca: options.trustedCa } } : {}),
  });
}

/**
 * The browser preview: the renderer on http://127.0.0.1 with `window.helpdesk` over a loopback
 * bridge to the same HelpdeskService the Electron IPC handlers call. Every bridge request needs
 * the run's random token; only loopback Host names and the preview's own Origin are served.
 */
export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const service = options.service ?? createService(options);
  const ownsService = !options.service;
  const token = newPreviewToken();
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  const events = new EventStreams(service);
  let port = -1;
  let dev: DevRenderer | null = null;
  const csp = () => (dev ? devContentSecurityPolicy(dev.nonce, previewOrigins(port)) : undefined);

  try {
    if (ownsService) {
      await service.restore();
      // No OS network monitor here (the Electron shell has one): start as if the network just came up.
      service.networkUp();
    }
    const bridgeScript = await bundleLoopbackBridge();
    if (options.dev) dev = await startDevRenderer(app.server, options.dev);

    app.removeContentTypeParser('text/plain');
    app.addHook('onRequest', async (request, reply) => {
      if (!isPreviewHost(request.headers.host, port)) {
        return reply.code(403).send(failure('forbidden', 'Unknown host.'));
      }
      if (!isPreviewOrigin(request.headers.origin, port)) {
        return reply.code(403).send(failure('forbidden', 'Foreign origin.'));
      }
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(securityHeaders(csp()));
      return payload;
    });
    app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 500) return reply.code(500).send(failure('internal', 'Something went wrong.'));
      return reply.code(status).send(failure('bad_request', error.message));
    });
    app.setNotFoundHandler((_request, reply) =>
      reply.code(404).send(failure('not_found', 'Not found.')),
    );

    const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!hasPreviewToken(request.headers.authorization, token)) {
        return reply
          .code(401)
          .send(
            failure(
              'unauthorized',
              'Open the preview with the address it printed at its start (it carries the access token).',
            ),
          );
      }
    };

    app.post<{ Params: { call: string } }>(
      '/__bridge/invoke/:call',
      { onRequest: requireToken },
      async (request, reply) => {
        const { call } = request.params;
        if (!isBridgeCallName(call))
          return reply.code(404).send(failure('not_found', 'Unknown call.'));
        try {
          return { ok: true, value: await service.invoke(call, request.body) };
        } catch (error) {
          return toFailure(error);
        }
      },
    );

    app.get('/__bridge/events', { onRequest: requireToken }, async (_request, reply) => {
      reply.hijack();
      events.serve(reply.raw);
    });

    app.get(BRIDGE_SCRIPT_PATH, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(bridgeScript),
    );

    app.get('/*', async (request, reply) => {
      const rawUrl = request.raw.url ?? '/';
      if (dev) {
        const devRenderer = dev;
        if (/^\/(index\.html)?([?#]|$)/.test(rawUrl)) {
          return reply.type('text/html; charset=utf-8').send(await devRenderer.indexHtml(rawUrl));
        }
        reply.hijack();
        for (const [name, value] of Object.entries(securityHeaders(csp()))) {
          reply.raw.setHeader(name, value);
        }
        devRenderer.handle(request.raw, reply.raw, () => {
          reply.raw.statusCode = 404;
          reply.raw.end();
        });
        return;
      }
      const resolved = resolveStaticFile(rawUrl, options.rendererDir);
      if (resolved.status !== 200) {
        return reply.code(resolved.status).send(failure('not_found', 'Not found.'));
      }
      const body = await readFile(resolved.file);
      reply.type(resolved.contentType);
      return resolved.contentType.startsWith('text/html')
        ? reply.send(injectBridgeScript(body.toString('utf8')))
        : reply.send(body);
    });

    await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    await app.close().catch(() => undefined);
    await dev?.close().catch(() => undefined);
    if (ownsService) await service.close().catch(() => undefined);
    throw error;
  }

  port = (app.server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    service,
    async close() {
      events.closeAll();
      await dev?.close();
      await app.close();
      if (ownsService) await service.close();
    },
  };
}
