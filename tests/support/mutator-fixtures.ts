import type {
  Attachment,
  Comment,
  Company,
  Contact,
  Macro,
  Preferences,
  Profile,
  Ticket,
  User,
} from '../../src-shared/domain/entities';
import type { MutationContext, MutationOutcome } from '../../src-shared/mutators/types';
import { MemoryRows } from './memory-rows';

/** Fixed ids and a small tenant for mutator tests: no clock, no randomness. */
export const IDS = {
  tenant: '00000000-0000-4000-8000-000000000001',
  agent: '00000000-0000-4000-8000-0000000000a1',
  admin: '00000000-0000-4000-8000-0000000000a2',
  inactive: '00000000-0000-4000-8000-0000000000a3',
  ticket: '00000000-0000-4000-8000-0000000000b1',
  otherTicket: '00000000-0000-4000-8000-0000000000b2',
  comment: '00000000-0000-4000-8000-0000000000c1',
  contact: '00000000-0000-4000-8000-0000000000d1',
  missing: '00000000-0000-4000-8000-0000000000ff',
  fresh: '00000000-0000-4000-8000-0000000000e1',
  macro: '00000000-0000-4000-8000-0000000000f1',
  attachment: '00000000-0000-4000-8000-0000000000f2',
} as const;

export const T0 = '2026-01-01T00:00:00.000Z';
export const NOW = '2026-02-03T04:05:06.000Z';

export const agentCtx: MutationContext = {
  now: NOW,
  tenantId: IDS.tenant,
  userId: IDS.agent,
  role: 'agent',
};
export const adminCtx: MutationContext = { ...agentCtx, userId: IDS.admin, role: 'admin' };

export function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: IDS.ticket,
    number: 7,
    subject: 'Printer on fire',
    description: 'It is on fire.',
    status: 'pending',
    priority: 'normal',
    type: 'incident',
    requesterId: IDS.contact,
    assigneeId: IDS.agent,
    tags: ['hardware', 'urgent'],
    createdBy: IDS.agent,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const user = (id: string, role: User['role'], active = true, name = 'Agent Smith'): User => ({
  id,
  name,
  email: `${id.slice(-2)}@example.test`,
  role,
  active,
});

export function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: IDS.agent,
    name: 'Agent Smith',
    email: 'a1@example.test',
    role: 'agent',
    phone: '+1 555 0100',
    title: 'Support agent',
    department: 'Support',
    fax: '+1 555 0199',
    updatedAt: T0,
    ...overrides,
  };
}

export function company(overrides: Partial<Company> = {}): Company {
  return {
    id: IDS.tenant,
    slug: 'acme',
    name: 'Acme',
    address: '1 Main St',
    phone: '+1 555 0000',
    website: 'https://acme.example',
    seats: 10,
    updatedAt: T0,
    ...overrides,
  };
}

export function preferences(overrides: Partial<Preferences> = {}): Preferences {
  return { id: IDS.agent, newsletter: false, productUpdates: true, updatedAt: T0, ...overrides };
}

export const contact: Contact = {
  id: IDS.contact,
  name: 'Wile E. Coyote',
  email: 'wile@example.test',
  phone: null,
  createdAt: T0,
  updatedAt: T0,
};

export const comment: Comment = {
  id: IDS.comment,
  ticketId: IDS.ticket,
  authorId: IDS.agent,
  body: 'Looking into it.',
  public: true,
  createdAt: T0,
};

export function macro(overrides: Partial<Macro> = {}): Macro {
  return {
    id: IDS.macro,
    title: 'Ask for a photo',
    actions: { status: 'pending', addTags: ['needs-photo'] },
    reply: { body: 'Hi {{requester.firstName}}, could you send a photo?', public: true },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export const attachment: Attachment = {
  id: IDS.attachment,
  ticketId: IDS.ticket,
  commentId: IDS.comment,
  name: 'fire.jpg',
  size: 3,
  contentType: 'image/jpeg',
  sha256: 'a'.repeat(64),
  createdBy: IDS.agent,
  createdAt: T0,
};

/**
 * A tenant with an agent, an admin, an inactive agent, a ticket with a comment and an attachment,
 * a contact and a macro.
 */
export function tenantRows(): MemoryRows {
  return new MemoryRows([
    { entity: 'company', data: company() },
    { entity: 'user', data: user(IDS.agent, 'agent') },
    { entity: 'user', data: user(IDS.admin, 'admin', true, 'Ada Admin') },
    { entity: 'user', data: user(IDS.inactive, 'agent', false, 'Gone Away') },
    { entity: 'profile', data: profile() },
    { entity: 'preferences', data: preferences() },
    { entity: 'ticket', data: ticket() },
    { entity: 'comment', data: comment },
    { entity: 'contact', data: contact },
    { entity: 'attachment', data: attachment },
    { entity: 'macro', data: macro() },
  ]);
}

/** The outcome, asserted to be applied. */
export function ok(outcome: MutationOutcome) {
  if (!outcome.ok) throw new Error(`expected applied, got ${outcome.code}: ${outcome.message}`);
  return outcome;
}

/** The outcome, asserted to be a rejection. */
export function rejected(outcome: MutationOutcome) {
  if (outcome.ok) throw new Error('expected a rejection');
  return outcome;
}
