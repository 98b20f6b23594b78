import type { MutationName } from '../../../src-shared/mutators/registry';
import type { RowReader } from '../../../src-shared/mutators/types';

/** The members of v1 mutation args that undo and base computation look at. */
export interface LooseArgs {
  ticketId?: string;
  fields?: Record<string, unknown>;
  tags?: string[];
}

export interface PlannedMutation {
  name: MutationName;
  args: Record<string, unknown>;
  base?: Record<string, unknown>;
}

function pick(row: object | null, keys: string[]): Record<string, unknown> | null {
  if (!row) return null;
  const source = row as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, source[k] ?? null]));
}

/**
 * The mutation that takes back `mutation` once it has been sent (before that, undo turns it into
 * `noop`). Computed from the rows as they were before it ran; null where the protocol has no way
 * back (comments are never removed; only admins delete tickets).
 */
export function inverseOf(
  mutation: PlannedMutation,
  before: RowReader,
  after: RowReader,
  userId: string,
  tenantId: string,
): PlannedMutation | null {
  const args = mutation.args as LooseArgs;
  switch (mutation.name) {
    case 'setTicketFields': {
      const keys = Object.keys(args.fields ?? {});
      const previous = pick(before.get('ticket', args.ticketId ?? ''), keys);
      const now = pick(after.get('ticket', args.ticketId ?? ''), keys);
      return (
        previous &&
        now && {
          name: 'setTicketFields',
          args: { ticketId: args.ticketId, fields: previous },
          base: now,
        }
      );
    }
    case 'addTags': {
      const had = new Set(before.get('ticket', args.ticketId ?? '')?.tags ?? []);
      const added = (args.tags ?? []).map((t) => t.trim().toLowerCase()).filter((t) => !had.has(t));
      return added.length
        ? { name: 'removeTags', args: { ticketId: args.ticketId, tags: added } }
        : null;
    }
    case 'removeTags': {
      const had = new Set(before.get('ticket', args.ticketId ?? '')?.tags ?? []);
      const removed = (args.tags ?? [])
        .map((t) => t.trim().toLowerCase())
        .filter((t) => had.has(t));
      return removed.length
        ? { name: 'addTags', args: { ticketId: args.ticketId, tags: removed } }
        : null;
    }
    case 'updateProfile': {
      const keys = Object.keys(args.fields ?? {});
      const previous = pick(before.get('profile', userId), keys);
      const now = pick(after.get('profile', userId), keys);
      return previous && now && { name: 'updateProfile', args: { fields: previous }, base: now };
    }
    case 'updateCompany': {
      const keys = Object.keys(args.fields ?? {});
      const previous = pick(before.get('company', tenantId), keys);
      const now = pick(after.get('company', tenantId), keys);
      return previous && now && { name: 'updateCompany', args: { fields: previous }, base: now };
    }
    case 'setCommunicationPreferences': {
      const keys = ['newsletter', 'productUpdates'];
      const previous = pick(before.get('preferences', userId), keys);
      const now = pick(after.get('preferences', userId), keys);
      return previous && now && { name: 'setCommunicationPreferences', args: previous, base: now };
    }
    default:
      return null;
  }
}
