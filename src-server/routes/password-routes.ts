import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Uuid } from '../../src-shared/domain/primitives';
import { ChangeEmailRequest, ChangePasswordRequest } from '../../src-shared/protocol/account';
import { ResetPasswordRequest } from '../../src-shared/protocol/admin';
import { SetPasswordRequest } from '../../src-shared/protocol/auth';
import { ApiError } from '../app/api-error';
import { viewerOf, type AppServices } from '../app/create-app';
import { parse } from '../app/parse';
import type { RequestMeta } from '../auth/auth-service';

function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** Changing, resetting and setting passwords, and changing one's email (under /api/v1). */
export function passwordRoutes(
  services: AppServices,
  authenticate: (request: FastifyRequest) => Promise<void>,
): FastifyPluginAsync {
  return async (app) => {
    app.post('/account/password', { preHandler: authenticate }, async (request, reply) => {
      const body = parse(ChangePasswordRequest, request.body);
      await services.passwords.change(viewerOf(request), body, requestMeta(request));
      reply.code(204);
      return reply.send();
    });

    app.post('/account/email', { preHandler: authenticate }, async (request) => {
      const body = parse(ChangeEmailRequest, request.body);
      return services.passwords.changeEmail(viewerOf(request), body, requestMeta(request));
    });

    app.post<{ Params: { id: string } }>(
      '/admin/users/:id/reset-password',
      { preHandler: authenticate },
      async (request) => {
        parse(ResetPasswordRequest, request.body ?? {});
        const viewer = viewerOf(request);
        // A malformed id answers exactly as a missing one.
        if (!Uuid.safeParse(request.params.id).success) {
          if (viewer.role !== 'admin') throw new ApiError('forbidden', 'Only admins may do this.');
          throw new ApiError('not_found', 'No such user.');
        }
        return services.passwords.reset(viewer, request.params.id);
      },
    );

    app.post('/auth/set-password', async (request, reply) => {
      await services.passwords.set(parse(SetPasswordRequest, request.body));
      reply.code(204);
      return reply.send();
    });
  };
}
