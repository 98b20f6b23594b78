import { randomUUID } from 'node:crypto';
import { prepareMutation } from '../../src-shared/mutators/registry';
import type { ProcessedResult } from '../../src-shared/protocol/sync';
import type { Storage } from '../../src-server/storage/storage';
import { contact, IDS, NOW } from './mutator-fixtures';

/**
 * A tenant written straight into a storage, for tests of a storage itself (no service): the
 * tenant of mutator-fixtures (IDS.tenant) with its admin (IDS.admin) and one contact.
 */
export async function seedStorageTenant(storage: Storage, slug: string): Promise<void> {
  await storage.createTenant({
    id: IDS.tenant,
    slug,
    epoch: `epoch-${slug}`,
    company: { name: `${slug} Ltd`, website: null, phone: null, seats: 5 } as never,
    admin: {
      id: IDS.admin,
      name: 'Admin',
      email: `admin@${slug}.test`,
      passwordHash: 'x',
      role: 'admin',
      phone: null,
      title: null,
      department: null,
      fax: null,
      newsletter: false,
      productUpdates: false,
    },
    now: NOW,
  });
  await storage.seedRecords(
    IDS.tenant,
    [{ entity: 'contact', id: contact.id, data: contact }],
    NOW,
  );
}

/** The admin creates a ticket through `storage.processMutation`, as client `clientId`'s mutation. */
export function createTicketIn(
  storage: Storage,
  clientId: string,
  mutationId: number,
  subject: string,
  id: string = randomUUID(),
): Promise<ProcessedResult> {
  const ctx = { now: NOW, tenantId: IDS.tenant, userId: IDS.admin, role: 'admin' as const };
  const prepared = prepareMutation(
    'createTicket',
    { id, subject, description: '', requesterId: contact.id },
    ctx,
  );
  if (!prepared.ok) throw new Error(prepared.message);
  return storage.processMutation({
    tenantId: IDS.tenant,
    clientId,
    mutationId,
    hash: `h${mutationId}`,
    ctx,
    prepared: prepared.mutation,
    base: undefined,
  });
}
