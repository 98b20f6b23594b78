import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Uuid } from '../../src-shared/domain/primitives';
import {
  CreateUserRequest,
  StatsQuery,
  SupportAccessQuery,
  UpdateUserRequest,
} from '../../src-shared/protocol/admin';
import { ApiError } from '../app/api-error';
import { viewerOf, type AppServices } from '../app/create-app';
import { parse } from '../app/parse';

export function adminRoutes(
  services: AppServices,
  authenticate: (request: FastifyRequest) => Promise<void>,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preHandler', authenticate);

    app.post('/users', async (request, reply) => {
      const body = parse(CreateUserRequest, request.body);
      const viewer = viewerOf(request);
      const user = await services.admin.createUser(viewer, body);
      reply.code(201);
      // Invited without a password: they set their own with a token the admin hands over.
      if (body.password === undefined) {
        return { user, setup: await services.passwords.requireSetup(viewer.tenantId, user.id) };
      }
      return { user };
    });

    app.patch<{ Params: { id: string } }>('/users/:id', async (request) => {
      const viewer = viewerOf(request);
      // A malformed id answers exactly as a missing one.
      if (!Uuid.safeParse(request.params.id).success) {
        if (viewer.role !== 'admin') throw new ApiError('forbidden', 'Only admins may do this.');
        throw new ApiError('not_found', 'No such user.');
      }
      const body = parse(UpdateUserRequest, request.body);
      return { user: await services.admin.updateUser(viewer, request.params.id, body) };
    });

    app.get('/stats', async (request) => {
      const query = parse(StatsQuery, request.query, 'query');
      return services.admin.stats(viewerOf(request), query.days);
    });

    app.get('/support-access', async (request) => {
      const query = parse(SupportAccessQuery, request.query, 'query');
      return services.supportAccess.listAccess(viewerOf(request), query.limit);
    });
  };
}
