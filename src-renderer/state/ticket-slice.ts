import type { TicketDetail } from '../../src-shared/bridge/contract';
import type { User } from '../../src-shared/domain/entities';

/** The open ticket, the agents it can be assigned to, and the composer's kind. */
export interface TicketSlice {
  openId: string | null;
  detail: TicketDetail | null;
  users: User[];
  /** The comment being written is a public reply (else an internal note). */
  composePublic: boolean;
  ticketError: string | null;
}

export const initialTicket = (): TicketSlice => ({
  openId: null,
  detail: null,
  users: [],
  composePublic: true,
  ticketError: null,
});
