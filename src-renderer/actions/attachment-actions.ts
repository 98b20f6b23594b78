import type { AttachmentFile } from '../../src-shared/bridge/contract';
import { helpdesk } from '../bridge';
import { parseBridgeError, type BridgeFailure } from '../lib/bridge-error';

/** An attachment's content: from this computer's cache, else fetched from the service (and kept). */
export async function fetchAttachment(
  id: string,
): Promise<{ file: AttachmentFile; failure: null } | { file: null; failure: BridgeFailure }> {
  try {
    return { file: await helpdesk().openAttachment({ id }), failure: null };
  } catch (error) {
    return { file: null, failure: parseBridgeError(error) };
  }
}
