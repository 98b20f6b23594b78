import type { ResolveHeldReplyInput } from '../../../src-shared/bridge/triage';
import { LocalMutationError, type Replica } from './replica';

/**
 * The agent's answer to a held reply. `send` and `edit` queue the reply (edited: with the new
 * body) and the changes held with it again, in their order, as new mutations at the end of the
 * outbox: new ids keep the service's per-client order, and the comment's own id makes it land at
 * most once. Queued again, the reply is checked again against what changes from now on. `discard`
 * drops them all; their effect already left the agent's view when they were held.
 */
export function resolveHeldReply(
  replica: Replica,
  input: ResolveHeldReplyInput,
  now: string,
): { mutationIds: number[] } {
  return replica.db.transaction(() => {
    const held = replica.held.take(input.id);
    if (!held) throw new LocalMutationError('not_found', 'There is no such held reply.');
    if (input.action === 'discard') return { mutationIds: [] };
    const [reply, ...rest] = held.mutations;
    const args = input.action === 'edit' ? { ...reply!.args, body: input.body } : reply!.args;
    // One refused (the ticket is gone): none is queued and the reply stays held.
    return {
      mutationIds: [{ ...reply!, args }, ...rest].map(
        (m) => replica.mutate(m.name, m.args, now).mutationId,
      ),
    };
  })();
}
