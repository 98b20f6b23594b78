import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { LoginHistoryQuery } from '../../src-shared/protocol/account';
import { exportAccount } from '../app/account-export';
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

    /** "Export my data": the caller's own records as one JSON download. */
    app.get('/export', async (request, reply) => {
      const data = await exportAccount(services.storage, viewerOf(request), new Date());
      void reply.header(
        'Content-Disposition',
        `attachment; filename="helpdesk-export-${data.generatedAt.slice(0, 10)}.json"`,
      );
      return data;
    });
  };
}
