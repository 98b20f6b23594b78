import type { Comment, Contact, Ticket } from '../../src-shared/domain/entities';
import { normaliseTags } from '../../src-shared/domain/primitives';
import type { SeedRecord, Storage } from '../storage/storage';
import { Random } from './random';
import {
  COMPANIES,
  DESCRIPTION_SENTENCES,
  FIRST_NAMES,
  LAST_NAMES,
  PRIORITY_WEIGHTS,
  REPLIES,
  STATUS_WEIGHTS,
  SUBJECTS,
  TAGS,
  TYPE_WEIGHTS,
} from './vocabulary';

export interface GenerateOptions {
  tickets: number;
  /** Average comments per ticket (each ticket gets between 0 and twice this). */
  commentsPerTicket: number;
  contacts: number;
  agentIds: readonly string[];
  seed: number;
  /** Tickets are spread over the `days` before `now`. */
  now: Date;
  days: number;
  onProgress?: (ticketsDone: number) => void;
}

const TICKETS_PER_BATCH = 2000;
const DAY_MS = 86_400_000;

function contactsFor(random: Random, count: number, now: Date): Contact[] {
  const contacts: Contact[] = [];
  for (let i = 0; i < count; i++) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const local = `${first}.${last}`
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z.]/g, '');
    const at = new Date(now.getTime() - random.int(30, 400) * DAY_MS).toISOString();
    contacts.push({
      id: random.uuid(Date.parse(at)),
      name: `${first} ${last}`,
      email: `${local}${i}@${random.pick(COMPANIES)}`,
      phone:
        random.next() < 0.6
          ? `+1 555 ${String(random.int(100, 999))} ${String(random.int(1000, 9999))}`
          : null,
      createdAt: at,
      updatedAt: at,
    });
  }
  return contacts;
}

function subjectFrom(random: Random): string {
  return random.pick(SUBJECTS).replace('#', String(random.int(2, 9999)));
}

function descriptionFrom(random: Random): string {
  const sentences = random.int(1, 4);
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) parts.push(random.pick(DESCRIPTION_SENTENCES));
  return parts.join(' ');
}

/**
 * Writes `tickets` realistic tickets with their comments, plus the contacts who raised them,
 * straight into storage in large batches. Reproducible for a given seed.
 */
export async function generateTickets(
  storage: Storage,
  tenantId: string,
  options: GenerateOptions,
): Promise<void> {
  const random = new Random(options.seed);
  const nowMs = options.now.getTime();
  const nowIso = options.now.toISOString();
  const contacts = contactsFor(random, Math.max(1, options.contacts), options.now);
  for (let i = 0; i < contacts.length; i += 5000) {
    const batch = contacts.slice(i, i + 5000);
    await storage.seedRecords(
      tenantId,
      batch.map((c) => ({ entity: 'contact', id: c.id, data: c })),
      nowIso,
    );
  }

  for (let done = 0; done < options.tickets; done += TICKETS_PER_BATCH) {
    const records: SeedRecord[] = [];
    const count = Math.min(TICKETS_PER_BATCH, options.tickets - done);
    for (let i = 0; i < count; i++) {
      // Older tickets first, so ticket numbers rise with creation time.
      const ageFraction = 1 - (done + i) / options.tickets;
      const created =
        nowMs - Math.floor(ageFraction * options.days * DAY_MS) - random.int(0, 3_600_000);
      const requester = random.pick(contacts);
      const status = random.weighted(STATUS_WEIGHTS);
      const tagCount = random.weighted([
        [0, 3],
        [1, 4],
        [2, 2],
        [3, 1],
      ] as const);
      const tags: string[] = [];
      for (let t = 0; t < tagCount; t++) tags.push(random.pick(TAGS));
      const commentCount = random.int(0, options.commentsPerTicket * 2);
      const id = random.uuid(created);
      let at = created;
      for (let c = 0; c < commentCount; c++) {
        at = Math.min(nowMs, at + random.int(60_000, (2 * DAY_MS) / Math.max(1, commentCount)));
        const fromAgent = c % 2 === 1 || random.next() < 0.2;
        const body = random.pick(REPLIES);
        const internal = body.startsWith('Internal note');
        // Only agents write internal notes. The agent of a note that the draw gave to the
        // requester is chosen without drawing, so that every later ticket stays as seeded.
        const authorId = fromAgent
          ? random.pick(options.agentIds)
          : internal
            ? (options.agentIds[c % options.agentIds.length] ?? null)
            : null;
        const comment: Comment = {
          id: random.uuid(at),
          ticketId: id,
          authorId,
          body,
          public: !internal,
          createdAt: new Date(at).toISOString(),
        };
        records.push({ entity: 'comment', id: comment.id, data: comment });
      }
      const unassigned = status === 'new' && random.next() < 0.7;
      const ticket: Ticket = {
        id,
        number: null,
        subject: subjectFrom(random),
        description: descriptionFrom(random),
        status,
        priority: random.weighted(PRIORITY_WEIGHTS),
        type: random.weighted(TYPE_WEIGHTS),
        requesterId: requester.id,
        assigneeId: unassigned ? null : random.pick(options.agentIds),
        tags: normaliseTags(tags),
        createdBy: null,
        createdAt: new Date(created).toISOString(),
        updatedAt: new Date(Math.max(at, created)).toISOString(),
      };
      records.push({ entity: 'ticket', id, data: ticket });
    }
    await storage.seedRecords(tenantId, records, nowIso);
    options.onProgress?.(done + count);
  }
}
