import type { AttachmentFile } from '../../../src-shared/bridge/contract';
import type { Attachment } from '../../../src-shared/domain/entities';
import { ATTACHMENT_MAX_BYTES, safeContentType } from '../../../src-shared/protocol/attachments';
import type { RowReader } from '../../../src-shared/mutators/types';
import { ServiceError } from '../net/service-error';
import { BridgeError } from '../services/bridge-error';
import { AttachmentMismatchError, type AttachmentCache } from './attachment-cache';

export const OFFLINE_UNAVAILABLE_MESSAGE =
  'This attachment is not available offline: connect to fetch it.';

/** No answer, or the service says it is down for now: the agent is, for this purpose, offline. */
export function unreachable(error: unknown): boolean {
  return (
    error instanceof ServiceError &&
    (error.kind === 'network' || (error.kind === 'http' && error.code === 'unavailable'))
  );
}

export interface OpenAttachmentDeps {
  rows: RowReader;
  cache: AttachmentCache;
  /** Fetches the content from the service (at most ATTACHMENT_MAX_BYTES). */
  download: (attachment: Attachment) => Promise<Buffer>;
}

/**
 * An attachment's content for the renderer: from the cache when it holds a copy that still
 * matches, else from the service (then kept). The payload is bounded: larger files are refused.
 */
export async function openAttachment(
  deps: OpenAttachmentDeps,
  id: string,
): Promise<AttachmentFile> {
  const attachment = deps.rows.get('attachment', id);
  if (!attachment) throw new BridgeError('not_found', 'No such attachment.');
  if (attachment.size > ATTACHMENT_MAX_BYTES) {
    throw new BridgeError(
      'payload_too_large',
      `This attachment is larger than ${ATTACHMENT_MAX_BYTES / 2 ** 20} MiB: it cannot be opened here.`,
    );
  }
  let bytes = deps.cache.read(attachment);
  if (!bytes) {
    try {
      bytes = await deps.download(attachment);
    } catch (error) {
      if (unreachable(error))
        throw new BridgeError('offline_unavailable', OFFLINE_UNAVAILABLE_MESSAGE);
      throw error;
    }
    try {
      deps.cache.write(attachment, bytes);
    } catch (error) {
      if (error instanceof AttachmentMismatchError) {
        throw new BridgeError('attachment_corrupt', `${error.message} Nothing was kept.`);
      }
      throw error;
    }
  }
  return {
    name: attachment.name,
    // The renderer is handed a type that runs no script, whatever the file claimed to be.
    contentType: safeContentType(attachment.contentType),
    size: attachment.size,
    dataBase64: bytes.toString('base64'),
  };
}
