import { randomUUID } from 'node:crypto';
import { newEpoch } from '../auth/auth-service';
import { hashPassword } from '../auth/passwords';
import type { NewUser, Storage, TenantRow } from '../storage/storage';
import { generateTickets } from './generate-tickets';

export const DEMO_PASSWORD = 'demo-password-1';

export interface DemoTenantSpec {
  slug: string;
  company: string;
  domain: string;
  agents: number;
  seats: number;
}

export const ACME: DemoTenantSpec = {
  slug: 'acme',
  company: 'Acme Field Services',
  domain: 'acme.test',
  agents: 5,
  seats: 25,
};
export const GLOBEX: DemoTenantSpec = {
  slug: 'globex',
  company: 'Globex Corporation',
  domain: 'globex.test',
  agents: 2,
  seats: 10,
};

function demoUser(
  name: string,
  email: string,
  role: NewUser['role'],
  passwordHash: string,
): NewUser {
  return {
    id: randomUUID(),
    name,
    email,
    passwordHash,
    role,
    phone: null,
    title: role === 'admin' ? 'Support lead' : 'Support agent',
    department: 'Customer support',
    fax: null,
    newsletter: false,
    productUpdates: true,
  };
}

/**
 * Creates a demo tenant with an admin (`admin@<domain>`) and agents (`agentN@<domain>`), all with
 * the demo password, unless it exists already. Returns the tenant and every agent id (admin first).
 */
export async function ensureDemoTenant(
  storage: Storage,
  spec: DemoTenantSpec,
  now: Date,
): Promise<{ tenant: TenantRow; userIds: string[]; created: boolean }> {
  const existing = await storage.getTenantBySlug(spec.slug);
  if (existing) {
    const ids: string[] = [];
    for (const local of [
      'admin',
      ...Array.from({ length: spec.agents }, (_, i) => `agent${i + 1}`),
    ]) {
      const user = await storage.findUserByEmail(existing.id, `${local}@${spec.domain}`);
      if (user) ids.push(user.id);
    }
    return { tenant: existing, userIds: ids, created: false };
  }
  // One hash for all demo accounts: they share the published demo password anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const admin = demoUser(
    `${spec.company.split(' ')[0]} Admin`,
    `admin@${spec.domain}`,
    'admin',
    passwordHash,
  );
  const tenantId = randomUUID();
  const iso = now.toISOString();
  await storage.createTenant({
    id: tenantId,
    slug: spec.slug,
    epoch: newEpoch(),
    now: iso,
    admin,
    company: {
      id: tenantId,
      slug: spec.slug,
      name: spec.company,
      address: '2254 Example Plaza, Reston, VA 20191',
      phone: '+1 555 010 2000',
      website: `https://www.${spec.domain}`,
      seats: spec.seats,
      updatedAt: iso,
    },
  });
  const userIds = [admin.id];
  for (let i = 1; i <= spec.agents; i++) {
    const agent = demoUser(`Agent ${i}`, `agent${i}@${spec.domain}`, 'agent', passwordHash);
    await storage.createUser(tenantId, agent, iso);
    userIds.push(agent.id);
  }
  return { tenant: (await storage.getTenant(tenantId))!, userIds, created: true };
}

/** The `--demo` data: acme with 300+ tickets, globex with its own. Idempotent. */
export async function seedDemo(storage: Storage, now = new Date()): Promise<void> {
  for (const [spec, tickets, seed] of [
    [ACME, 320, 1],
    [GLOBEX, 60, 2],
  ] as const) {
    const { tenant, userIds, created } = await ensureDemoTenant(storage, spec, now);
    if (!created) continue;
    await generateTickets(storage, tenant.id, {
      tickets,
      commentsPerTicket: 3,
      contacts: Math.ceil(tickets / 4),
      agentIds: userIds,
      seed,
      now,
      days: 60,
    });
  }
}
