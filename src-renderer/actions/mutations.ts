import {
  MUTATE_MANY_MAX,
  type MutateManyResult,
  type ResolveHeldReplyInput,
} from '../../src-shared/bridge/triage';
import type { Macro } from '../../src-shared/domain/entities';
import type { MutationArgs, MutationName } from '../../src-shared/mutators/registry';
import { helpdesk } from '../bridge';
import { parseBridgeError, type BridgeFailure } from '../lib/bridge-error';
import { bulkItems, bulkOutcome } from '../lib/bulk';
import type { NewTicketPlan } from '../lib/new-ticket';
import {
  changeText,
  ticketLabel,
  ticketsCount,
  type TicketFieldsChange,
  type TriageChange,
} from '../lib/triage-text';
import { appStore } from '../state/store';
import { refreshCounts, refreshList } from './list-actions';
import { changingAccount } from './settings-actions';
import { reloadTicket } from './ticket-actions';
import { dismissToast, showToast } from './toast-actions';

/**
 * Every change the renderer makes, as named mutators of src-shared run on the replica through the
 * bridge (one, several at once, a macro's, a held reply's). The replica applies them at once
 * (optimistically) and the sync engine sends them; the ticket and the list (or the settings'
 * records) are re-read right away rather than at the next replicaChanged. A triage action ends
 * with a toast that can take it back.
 */

async function afterChange(): Promise<void> {
  refreshList();
  void refreshCounts();
  await reloadTicket();
}

/** Runs a named mutator on the replica; answers the failure, or null. */
async function send<N extends MutationName>(
  name: N,
  args: MutationArgs<N> | Record<string, unknown>,
): Promise<BridgeFailure | null> {
  try {
    await helpdesk().mutate({ name, args: args as Record<string, unknown> });
    return null;
  } catch (error) {
    return parseBridgeError(error);
  }
}

async function run<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<boolean> {
  const failure = await send(name, args);
  appStore.setState({ ticketError: failure?.message ?? null });
  if (failure) return false;
  await afterChange();
  return true;
}

/** "#12" for the open ticket's toast. */
function labelOf(ticketId: string): string {
  const { detail } = appStore.getState();
  return detail?.ticket.id === ticketId ? ticketLabel(detail.ticket.number) : 'The ticket';
}

/** One change of one ticket, with its toast. */
async function triage<N extends MutationName>(
  ticketId: string,
  change: TriageChange,
  name: N,
  args: MutationArgs<N>,
): Promise<boolean> {
  const label = labelOf(ticketId);
  const done = await run(name, args);
  if (done) showToast(`${label}: ${changeText(change, appStore.getState().users)}`, 1);
  return done;
}

/** A change of the settings' records: answers what went wrong, for the form to show, or null. */
async function runOnAccount<N extends MutationName>(
  name: N,
  args: MutationArgs<N>,
): Promise<string | null> {
  const failure = await changingAccount(() => send(name, args));
  return failure?.message ?? null;
}

export const setTicketFields = (ticketId: string, fields: TicketFieldsChange) =>
  triage(ticketId, { kind: 'fields', fields }, 'setTicketFields', { ticketId, fields });

export const addTag = (ticketId: string, tag: string) =>
  triage(ticketId, { kind: 'add-tag', tag }, 'addTags', { ticketId, tags: [tag] });

export const removeTag = (ticketId: string, tag: string) =>
  triage(ticketId, { kind: 'remove-tag', tag }, 'removeTags', { ticketId, tags: [tag] });

export const addComment = (ticketId: string, body: string, isPublic: boolean) =>
  run('addComment', { id: crypto.randomUUID(), ticketId, body, public: isPublic });

/** Queues a new ticket (after its new requester, if any); answers the problem, or null. */
export async function createTicket(
  plan: Extract<NewTicketPlan, { ok: true }>,
): Promise<string | null> {
  for (const { name, args } of plan.mutations) {
    const failure = await send(name, args);
    if (failure) return failure.message;
  }
  await afterChange();
  showToast('New ticket created: its number comes from the service', plan.mutations.length);
  return null;
}

/**
 * The changes on every selected ticket, each its own mutation: one refused does not stop the
 * others, and the report names each refused ticket with the reason.
 */
export async function changeSelected(changes: readonly TriageChange[]): Promise<void> {
  const tickets = appStore.getState().checked;
  if (tickets.length === 0 || changes.length === 0) return;
  const items = bulkItems(changes, tickets);
  const results: MutateManyResult['results'] = [];
  try {
    for (let i = 0; i < items.length; i += MUTATE_MANY_MAX) {
      const chunk = items.slice(i, i + MUTATE_MANY_MAX).map((item) => item.mutation);
      results.push(...(await helpdesk().mutateMany({ items: chunk })).results);
    }
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
  }
  const { queued, changed, failures } = bulkOutcome(items, results);
  const { users } = appStore.getState();
  const text = `${changes.map((c) => changeText(c, users)).join('; ')} on ${ticketsCount(changed)}`;
  appStore.setState({ bulkReport: { text, done: changed, failures } });
  if (queued > 0) showToast(text, queued);
  await afterChange();
}

/** Applies a macro to a ticket offline: its changes and its reply, queued together. */
export async function applyMacro(ticketId: string, macro: Macro): Promise<boolean> {
  const label = labelOf(ticketId);
  try {
    const { mutationIds } = await helpdesk().applyMacro({ ticketId, macroId: macro.id });
    if (mutationIds.length > 0)
      showToast(`${label}: macro “${macro.title}” applied`, mutationIds.length);
    else appStore.setState({ notice: `“${macro.title}” changes nothing on ${label}.` });
  } catch (error) {
    appStore.setState({ ticketError: parseBridgeError(error).message });
    return false;
  }
  await afterChange();
  return true;
}

/** Send anyway, edit then send, or discard a held reply; answers the problem, or null. */
export async function resolveHeldReply(input: ResolveHeldReplyInput): Promise<string | null> {
  try {
    await helpdesk().resolveHeldReply(input);
  } catch (error) {
    return parseBridgeError(error).message;
  }
  await afterChange();
  return null;
}

export const updateProfile = (fields: MutationArgs<'updateProfile'>['fields']) =>
  runOnAccount('updateProfile', { fields });

/** Admins only (the replica and the service both refuse it from an agent). */
export const updateCompany = (fields: MutationArgs<'updateCompany'>['fields']) =>
  runOnAccount('updateCompany', { fields });

export function setCommunicationPreferences(
  choice: MutationArgs<'setCommunicationPreferences'>,
): Promise<string | null> {
  const run = runOnAccount('setCommunicationPreferences', choice);
  // Shown at once (reads begun before are dropped now): a checkbox that flicked back until the
  // replica answered would look refused.
  appStore.setState(({ preferences }) => ({
    preferences: preferences && { ...preferences, current: { ...preferences.current, ...choice } },
  }));
  return run;
}

/**
 * Takes back the last action: the one the toast names (all its changes), else the last pending
 * change. Each step is the bridge's undo (dropped if unsent, else compensated).
 */
export async function undo(): Promise<void> {
  const { toast } = appStore.getState();
  dismissToast();
  const steps = toast?.changes ?? 1;
  try {
    for (let i = 0; i < steps; i++) await helpdesk().undo({});
    appStore.setState({ notice: toast ? `Undone: ${toast.text}.` : 'The last change was undone.' });
  } catch (error) {
    appStore.setState({ notice: parseBridgeError(error).message });
  }
  await afterChange();
}

/** Settles a conflict or a rejected change: keep my value or take the service's. */
export async function resolveAttention(id: number, choice: 'mine' | 'theirs'): Promise<void> {
  try {
    await helpdesk().resolveNeedsAttention({ id, choice });
  } catch (error) {
    appStore.setState({ ticketError: parseBridgeError(error).message });
    return;
  }
  await afterChange();
}
