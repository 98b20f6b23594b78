import type { NeedsAttentionItem, TicketDetail } from '../../src-shared/bridge/contract';
import type { User } from '../../src-shared/domain/entities';

/** The open ticket, the agents it can be assigned to, and the composer's kind. */
export interface TicketSlice {
  openId: string | null;
  detail: TicketDetail | null;
  users: User[];
  /** The comment being written is a public reply (else an internal note). */
  composePublic: boolean;
  ticketError: string | null;
  /**
   * Needs-attention items of the open ticket when it does not exist (deleted on the service, or
   * a new ticket the service refused): they still need the agent, and only this pane shows them.
   */
  orphanAttention: NeedsAttentionItem[];
}

export const initialTicket = (): TicketSlice => ({
  openId: null,
  detail: null,
  users: [],
  composePublic: true,
  ticketError: null,
  orphanAttention: [],
});
