import type { FastifyPluginAsync } from 'fastify';
import {
  LoginRequest,
  LogoutRequest,
  RefreshRequest,
  SignupRequest,
} from '../../src-shared/protocol/auth';
import type { AppServices } from '../app/create-app';
import { parse } from '../app/parse';

export function authRoutes(services: AppServices): FastifyPluginAsync {
  return async (app) => {
    app.post('/signup', async (request, reply) => {
      const body = parse(SignupRequest, request.body);
      reply.code(201);
      return services.auth.signup(body);
    });

    app.post('/login', async (request) => {
      const body = parse(LoginRequest, request.body);
      return services.auth.login(body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
    });

    app.post('/refresh', async (request) =>
      services.auth.refresh(parse(RefreshRequest, request.body)),
    );

    app.post('/logout', async (request, reply) => {
      await services.auth.logout(parse(LogoutRequest, request.body).refreshToken);
      reply.code(204);
      return reply.send();
    });
  };
}
