import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import fastifySse from '@fastify/sse';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { ATTACHMENT_MAX_BYTES } from '../../src-shared/protocol/attachments';
import { BODY_MAX_BYTES } from '../../src-shared/protocol/sync';
import type { AuthService } from '../auth/auth-service';
import type { PasswordService } from '../auth/password-service';
import type { SyncService } from '../sync/sync-service';
import { accountRoutes } from '../routes/account-routes';
import { adminRoutes } from '../routes/admin-routes';
import { attachmentRoutes } from '../routes/attachment-routes';
import { authRoutes } from '../routes/auth-routes';
import { operatorRoutes } from '../routes/operator-routes';
import { passwordRoutes } from '../routes/password-routes';
import { syncRoutes } from '../routes/sync-routes';
import { ticketRoutes } from '../routes/ticket-routes';
import { UPDATES_PREFIX, updateRoutes } from '../routes/update-routes';
import type { Storage } from '../storage/storage';
import type { AdminService } from './admin-service';
import { ApiError } from './api-error';
import { clientVersionCheck } from './client-version-check';
import type { SupportAccessService } from './support-access-service';
import type { Viewer } from './viewer';

declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
  }
}

export interface AppServices {
  storage: Storage;
  auth: AuthService;
  sync: SyncService;
  admin: AdminService;
  supportAccess: SupportAccessService;
  passwords: PasswordService;
}

export interface AppOptions {
  /** TLS key and certificate; without them the app speaks plain HTTP (loopback development only). */
  tls: { key: string; cert: string } | null;
  logStream?: Writable;
  logLevel?: string;
  /** Interval of keep-alive comments on live event streams. */
  heartbeatMs?: number;
  /** The largest attachment accepted (default ATTACHMENT_MAX_BYTES, 10 MiB). */
  attachmentMaxBytes?: number;
  /** Clients older than this (X-Client-Version) are answered 426 upgrade_required. */
  minClientVersion?: string | null;
  /** The folder of the desktop app's update feed, served under /api/v1/updates/ (none: no feed). */
  updatesDir?: string | null;
}

/** Paths whose bodies may carry secrets; their requests are logged without them. */
const LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export async function createApp(
  services: AppServices,
  options: AppOptions,
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.tls
      ? { https: { key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' as const } }
      : {}),
    bodyLimit: BODY_MAX_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    forceCloseConnections: true,
    return503OnClosing: true,
    // Errors raised before routing (a malformed URL, an over-long path parameter) and malformed HTTP
    // answer in the same envelope, with a request id, as every other error.
    frameworkErrors: (error, request, reply) => {
      void reply.header('X-Request-Id', request.id).header('Cache-Control', 'no-store');
      sendError(error, request, reply);
    },
    clientErrorHandler: sendClientError,
    logger: {
      level: options.logLevel ?? 'info',
      redact: LOG_REDACT,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
  }) as unknown as FastifyInstance;

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    reply.header('Cache-Control', 'no-store');
  });
  app.addHook('onRequest', clientVersionCheck(options.minClientVersion ?? null));
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(new ApiError('not_found', 'No such endpoint.').toBody());
  });

  await app.register(fastifySse, { heartbeatInterval: options.heartbeatMs ?? 25_000 });

  const authenticate = async (request: FastifyRequest) => {
    request.viewer = await services.auth.authenticate(request.headers.authorization);
  };
  app.get('/api/v1/health', async () => ({ ok: true }));
  await app.register(authRoutes(services), { prefix: '/api/v1/auth' });
  await app.register(syncRoutes(services, authenticate), { prefix: '/api/v1/sync' });
  await app.register(adminRoutes(services, authenticate), { prefix: '/api/v1/admin' });
  await app.register(accountRoutes(services, authenticate), { prefix: '/api/v1/account' });
  await app.register(operatorRoutes(services), { prefix: '/api/v1/operator' });
  await app.register(passwordRoutes(services, authenticate), { prefix: '/api/v1' });
  await app.register(ticketRoutes(services, authenticate), { prefix: '/api/v1' });
  await app.register(
    attachmentRoutes(services, authenticate, options.attachmentMaxBytes ?? ATTACHMENT_MAX_BYTES),
    { prefix: '/api/v1' },
  );
  if (options.updatesDir) {
    await app.register(updateRoutes(options.updatesDir), { prefix: UPDATES_PREFIX });
  }
  return app;
}

export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new ApiError('unauthorized', 'Not signed in.');
  return request.viewer;
}

/**
 * Malformed HTTP that never became a request (bad request line, headers too large): answered on the
 * raw socket, in the error envelope and with a request id, then the connection is closed.
 */
function sendClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const apiError = new ApiError(
    'bad_request',
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'Request headers are too large.'
      : 'Malformed HTTP request.',
  );
  const body = JSON.stringify(apiError.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${apiError.status} Bad Request\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\n` +
        'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}

/** Maps every failure to the closed set of error codes; internals never leave the process. */
function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    apiError = new ApiError(
      'payload_too_large',
      `Request bodies may be at most ${BODY_MAX_BYTES} bytes.`,
    );
  } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    apiError = new ApiError('bad_request', 'Content-Type must be application/json.');
  } else if ((error as { code?: string }).code === 'SQLITE_BUSY') {
    apiError = new ApiError('unavailable', 'The service is busy. Try again shortly.', {
      retryAfterSeconds: 2,
    });
  } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    apiError = new ApiError('bad_request', error.message || 'Bad request.');
  } else {
    request.log.error({ err: error }, 'request failed');
    apiError = new ApiError(
      'internal',
      'Something went wrong on our side. The request id identifies it.',
    );
  }
  if (apiError.extra.retryAfterSeconds !== undefined) {
    void reply.header('Retry-After', String(apiError.extra.retryAfterSeconds));
  }
  void reply.code(apiError.status).send(apiError.toBody());
}
