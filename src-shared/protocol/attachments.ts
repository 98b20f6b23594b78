import { z } from 'zod';
import { Attachment } from '../domain/entities';
import { FileName, Uuid } from '../domain/primitives';

/** The service's default limit on one attachment; the desktop opens none larger. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** `POST /api/v1/tickets/<ticketId>/attachments?name=…[&commentId=…]`, the file as the body. */
export const UploadAttachmentQuery = z.strictObject({
  name: FileName,
  /** The comment the file goes with; it must be a comment of the same ticket. */
  commentId: Uuid.optional(),
});
export type UploadAttachmentQuery = z.infer<typeof UploadAttachmentQuery>;

export const UploadAttachmentResponse = z.object({ attachment: Attachment });
export type UploadAttachmentResponse = z.infer<typeof UploadAttachmentResponse>;

/**
 * Types a download is labelled with as uploaded: none of them runs script when a browser opens
 * it. Any other type (text/html, image/svg+xml…) goes out as application/octet-stream.
 */
const SAFE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/zip',
  'application/json',
  'text/plain',
  'text/csv',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'audio/mpeg',
  'video/mp4',
]);

/** The Content-Type to label an attachment's bytes with, wherever they are handed out. */
export function safeContentType(contentType: string): string {
  return SAFE_CONTENT_TYPES.has(contentType) ? contentType : 'application/octet-stream';
}
