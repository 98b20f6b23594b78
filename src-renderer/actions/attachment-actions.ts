import type { AttachmentFile } from '../../src-shared/bridge/contract';
import { helpdesk } from '../bridge';
import { parseBridgeError, type BridgeFailure } from '../lib/bridge-error';
import { reloadTicket } from './ticket-actions';

/**
 * An attachment's content: from this computer's cache, else fetched from the service and kept
 * (the ticket is read again: the file now opens offline too).
 */
export async function fetchAttachment(
  id: string,
): Promise<{ file: AttachmentFile; failure: null } | { file: null; failure: BridgeFailure }> {
  try {
    const file = await helpdesk().openAttachment({ id });
    void reloadTicket();
    return { file, failure: null };
  } catch (error) {
    return { file: null, failure: parseBridgeError(error) };
  }
}
