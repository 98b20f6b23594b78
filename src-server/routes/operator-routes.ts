import type { FastifyPluginAsync } from 'fastify';
import {
  OperatorLoginRequest,
  SupportAccessParams,
  SupportAccessRequest,
} from '../../src-shared/protocol/operator';
import type { AppServices } from '../app/create-app';
import { parse } from '../app/parse';

/** The service's staff: log-in, and the audited access to a tenant's records. Nothing else. */
export function operatorRoutes(services: AppServices): FastifyPluginAsync {
  return async (app) => {
    app.post('/login', async (request) =>
      services.supportAccess.login(parse(OperatorLoginRequest, request.body), {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      }),
    );

    app.post<{ Params: { slug: string } }>('/tenants/:slug/access', async (request) => {
      const operator = await services.supportAccess.authenticate(request.headers.authorization);
      const { slug } = parse(SupportAccessParams, request.params, 'path');
      return services.supportAccess.openAccess(
        operator,
        slug,
        parse(SupportAccessRequest, request.body),
      );
    });
  };
}
