import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Uuid } from '../../src-shared/domain/primitives';
import { CLIENT_ID_HEADER, PullQuery, PushRequest } from '../../src-shared/protocol/sync';
import { viewerOf, type AppServices } from '../app/create-app';
import { parse } from '../app/parse';

/** The events stream takes no query members; an unknown one is a 400 as on every other call. */
const EventsQuery = z.strictObject({});

/** No HEAD route: a HEAD request would open a stream that never answers, holding its connection. */
const EVENTS_OPTIONS = { sse: { kind: 'manual' as const }, exposeHeadRoute: false };

function clientIdOf(request: FastifyRequest): string {
  return parse(Uuid, request.headers[CLIENT_ID_HEADER], 'X-Client-Id header');
}

export function syncRoutes(
  services: AppServices,
  authenticate: (request: FastifyRequest) => Promise<void>,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preHandler', authenticate);

    app.get('/pull', async (request, reply) => {
      const query = parse(PullQuery, request.query, 'query');
      const body = await services.sync.pull(viewerOf(request), clientIdOf(request), query);
      return reply.type('application/json; charset=utf-8').send(body);
    });

    app.post('/push', async (request) => {
      const clientId = clientIdOf(request);
      // Each mutation's text is checked with its args: one bad mutation is rejected on its own.
      const body = parse(PushRequest, request.body, 'request body', { text: 'unchecked' });
      return services.sync.push(viewerOf(request), clientId, body);
    });

    /** Live pokes: a hint to pull, sent whenever the tenant's change log moves. */
    app.get('/events', EVENTS_OPTIONS, async (request, reply) => {
      parse(EventsQuery, request.query, 'query');
      const viewer = viewerOf(request);
      const sse = reply.sse!;
      sse.keepAlive();
      const poke = async (lastSeq: number) => {
        if (!sse.isConnected) return;
        // A session revoked meanwhile (log-out, deactivation, token reuse) ends the stream here.
        let current: typeof viewer;
        try {
          current = await services.auth.authenticate(request.headers.authorization);
        } catch {
          sse.close();
          return;
        }
        await sse.send({
          event: 'poke',
          data: { cursor: await services.sync.headCursor(current, lastSeq) },
        });
      };
      const unwatch = services.storage.watch(viewer.tenantId, (lastSeq) => {
        poke(lastSeq).catch((err: unknown) => request.log.warn({ err }, 'poke failed'));
      });
      const expiry = setTimeout(() => sse.close(), Math.max(0, viewer.expiresAt - Date.now()));
      sse.onClose(() => {
        unwatch();
        clearTimeout(expiry);
      });
      const tenant = await services.storage.getTenant(viewer.tenantId);
      await poke(tenant?.lastSeq ?? 0);
    });
  };
}
