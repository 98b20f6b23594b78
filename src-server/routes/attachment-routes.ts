import { createHash, randomUUID } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Attachment } from '../../src-shared/domain/entities';
import { MediaType, Uuid } from '../../src-shared/domain/primitives';
import { safeContentType, UploadAttachmentQuery } from '../../src-shared/protocol/attachments';
import { ApiError } from '../app/api-error';
import { viewerOf, type AppServices } from '../app/create-app';
import { parse } from '../app/parse';

/** "10 MiB", "64 KiB" or "1000 bytes": the limit as a person reads it. */
export function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** `attachment`, with an ASCII fallback name and the exact name in RFC 8187 encoding. */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** The media type of the upload without its parameters; none sent means unknown bytes. */
function uploadedType(header: string | undefined): string {
  const type = header?.split(';')[0]?.trim() || 'application/octet-stream';
  return parse(MediaType, type, 'Content-Type header');
}

/**
 * Attachments: a file's bytes go up as the raw body of one request and come down on demand; their
 * metadata syncs to every replica through the change log. Uploads are limited to `maxBytes` while
 * the body is read, so an oversized one is refused before it is all received.
 */
export function attachmentRoutes(
  services: AppServices,
  authenticate: (request: FastifyRequest) => Promise<void>,
  maxBytes: number,
): FastifyPluginAsync {
  return async (app) => {
    // Before the body is read: a stranger's upload is refused without receiving it.
    app.addHook('onRequest', authenticate);
    // Any type is an attachment's bytes, JSON included.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });
    // Thrown on to the app's handler, which answers in the error envelope.
    app.setErrorHandler((error: FastifyError) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new ApiError(
          'payload_too_large',
          `An attachment may be at most ${describeBytes(maxBytes)}.`,
        );
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        throw new ApiError('bad_request', 'Content-Type must be a media type such as image/png.');
      }
      throw error;
    });

    app.post<{ Params: { ticketId: string } }>(
      '/tickets/:ticketId/attachments',
      { bodyLimit: maxBytes },
      async (request, reply) => {
        const viewer = viewerOf(request);
        const query = parse(UploadAttachmentQuery, request.query, 'query');
        const contentType = uploadedType(request.headers['content-type']);
        const content = request.body;
        if (!Buffer.isBuffer(content) || content.length === 0) {
          throw new ApiError('bad_request', "The attachment is empty: send the file's bytes.");
        }
        // A malformed id answers exactly as a missing ticket.
        if (!Uuid.safeParse(request.params.ticketId).success) {
          throw new ApiError('not_found', 'No such ticket.');
        }
        const attachment: Attachment = {
          id: randomUUID(),
          ticketId: request.params.ticketId,
          commentId: query.commentId ?? null,
          name: query.name,
          size: content.length,
          contentType,
          sha256: createHash('sha256').update(content).digest('hex'),
          createdBy: viewer.userId,
          createdAt: new Date().toISOString(),
        };
        const outcome = await services.storage.addAttachment(viewer.tenantId, attachment, content);
        if (outcome === 'no_ticket') throw new ApiError('not_found', 'No such ticket.');
        if (outcome === 'no_comment') {
          throw new ApiError('not_found', 'No such comment on this ticket.');
        }
        return reply.code(201).send({ attachment });
      },
    );

    app.get<{ Params: { id: string } }>('/attachments/:id', async (request, reply) => {
      const viewer = viewerOf(request);
      const found = Uuid.safeParse(request.params.id).success
        ? await services.storage.getAttachment(viewer.tenantId, request.params.id)
        : null;
      // Another tenant's attachment answers exactly as a missing one.
      if (!found) throw new ApiError('not_found', 'No such attachment.');
      const { attachment, content } = found;
      return reply
        .type(safeContentType(attachment.contentType))
        .header('Content-Disposition', contentDisposition(attachment.name))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox")
        .send(content);
    });
  };
}
