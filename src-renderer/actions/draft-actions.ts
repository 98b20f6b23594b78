import type { Draft } from '../../src-shared/bridge/triage';
import { helpdesk } from '../bridge';

/**
 * Unfinished replies, kept by the main process in the replica per ticket: they outlive closing
 * the ticket, the window and the app. A failure keeps the text on screen; nothing else to do.
 */

export async function loadDraft(ticketId: string): Promise<Draft | null> {
  try {
    return await helpdesk().getDraft({ ticketId });
  } catch {
    return null;
  }
}

/** Keeps the draft (an empty body deletes it); answers whether it was kept. */
export async function keepDraft(
  ticketId: string,
  body: string,
  isPublic: boolean,
): Promise<boolean> {
  try {
    await helpdesk().saveDraft({ ticketId, body, public: isPublic });
    return true;
  } catch {
    return false;
  }
}
