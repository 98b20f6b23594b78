import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { searchWords, TicketRef, TicketSearchQuery } from '../../src-shared/protocol/tickets';
import { ApiError } from '../app/api-error';
import { viewerOf, type AppServices } from '../app/create-app';
import { parse } from '../app/parse';

/**
 * Tickets on demand (PROTOCOL extension), for clients that keep only recent tickets offline: one
 * ticket by number or id with its comments and attachments, and a search by words. Read-only;
 * the caller's tenant only.
 */
export function ticketRoutes(
  services: AppServices,
  authenticate: (request: FastifyRequest) => Promise<void>,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preHandler', authenticate);

    app.get('/tickets', async (request) => {
      const query = parse(TicketSearchQuery, request.query, 'query');
      const tickets = await services.storage.searchTickets(viewerOf(request).tenantId, {
        words: searchWords(query.q),
        updatedBefore: query.updatedBefore ? new Date(query.updatedBefore).toISOString() : null,
        limit: query.limit,
      });
      return { tickets };
    });

    // `ticketId` is an id or a number; named as the attachment route's is (one node of the router).
    app.get<{ Params: { ticketId: string } }>('/tickets/:ticketId', async (request) => {
      const viewer = viewerOf(request);
      const ref = TicketRef.safeParse(request.params.ticketId);
      // A malformed reference answers exactly as a missing ticket, and so does another tenant's.
      const thread = ref.success
        ? await services.storage.ticketThread(viewer.tenantId, ref.data)
        : null;
      if (!thread) throw new ApiError('not_found', 'No such ticket.');
      return thread;
    });
  };
}
