import { randomBytes, scryptSync } from 'node:crypto';
import { DEMO_PASSWORD, ensureDemoTenant } from '../../src-server/demo/demo-tenants';
import { generateTickets } from '../../src-server/demo/generate-tickets';
import type { Storage } from '../../src-server/storage/storage';

/**
 * The demo password under a cheap scrypt cost (the service reads the cost from each hash): a chaos
 * run signs in a dozen times, and at the real cost those sign-ins would take most of its time.
 */
const CHEAP_HASH = (() => {
  const salt = randomBytes(16);
  const key = scryptSync(DEMO_PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 });
  return ['scrypt', 1024, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
})();

/**
 * A small tenant of its own, straight in the service's storage: `admin@<slug>.test` and
 * `agent1`/`agent2@<slug>.test` (demo password), `tickets` tickets with a comment each, and two
 * contacts. Returns the users' email domain.
 */
export async function createSmallTenant(
  storage: Storage,
  slug: string,
  tickets: number,
  seed: number,
): Promise<string> {
  const domain = `${slug}.test`;
  const now = new Date();
  const { tenant, userIds } = await ensureDemoTenant(
    storage,
    { slug, company: 'Chaos', domain, agents: 2, seats: 5 },
    now,
  );
  for (const userId of userIds) {
    await storage.changePassword(tenant.id, userId, CHEAP_HASH, '', now.toISOString());
  }
  await generateTickets(storage, tenant.id, {
    tickets,
    commentsPerTicket: 1,
    contacts: 2,
    agentIds: userIds,
    seed,
    now,
    days: 5,
  });
  return domain;
}
