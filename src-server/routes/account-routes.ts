import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { LoginHistoryQuery } from '../../src-shared/protocol/account';
import { ApiError } from '../app/api-error';
import { viewerOf, type AppServices } from '../app/create-app';
import { parse } from '../app/parse';

export function accountRoutes(
  services: AppServices,
  authenticate: (request: FastifyRequest) => Promise<void>,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preHandler', authenticate);

    /** Log-in history (time, IP address, device, outcome): one's own, or the tenant's for admins. */
    app.get('/logins', async (request) => {
      const query = parse(LoginHistoryQuery, request.query, 'query');
      const viewer = viewerOf(request);
      if (query.scope === 'tenant' && viewer.role !== 'admin') {
        throw new ApiError('forbidden', "Only admins may see the tenant's log-in history.");
      }
      const userId = query.scope === 'me' ? viewer.userId : null;
      return {
        events: await services.storage.listLoginEvents(viewer.tenantId, userId, query.limit),
      };
    });
  };
}
