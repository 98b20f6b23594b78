import { randomUUID } from 'node:crypto';
import type { Ticket } from '../../src-shared/domain/entities';
import type { Storage } from '../../src-server/storage/storage';

/**
 * The requester writes a public comment on a ticket, as the service's inbound mail would: the
 * comment has no author and the ticket is updated. Answers the comment's id.
 */
export async function customerWrites(
  storage: Pick<Storage, 'seedRecords'>,
  tenantId: string,
  ticket: Ticket,
  body: string,
): Promise<string> {
  const now = new Date().toISOString();
  const id = randomUUID();
  await storage.seedRecords(
    tenantId,
    [
      {
        entity: 'comment',
        id,
        data: { id, ticketId: ticket.id, authorId: null, body, public: true, createdAt: now },
      },
      { entity: 'ticket', id: ticket.id, data: { ...ticket, updatedAt: now } },
    ],
    now,
  );
  return id;
}
