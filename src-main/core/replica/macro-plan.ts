import type { User } from '../../../src-shared/domain/entities';
import { expandMacro, type MacroMutation } from '../../../src-shared/mutators/macro-expansion';
import type { RowReader } from '../../../src-shared/mutators/types';
import { LocalMutationError } from './replica';

export interface MacroRequest {
  ticketId: string;
  macroId: string;
  /** The agent applying it, as the session knows them (their `user` row is preferred). */
  agent: Pick<User, 'id' | 'name'>;
  newId: () => string;
}

/** The mutations that apply a macro to a ticket, from the rows the agent sees now. */
export function planMacro(rows: RowReader, request: MacroRequest): MacroMutation[] {
  const ticket = rows.get('ticket', request.ticketId);
  if (!ticket) throw new LocalMutationError('not_found', 'No such ticket.');
  const macro = rows.get('macro', request.macroId);
  if (!macro) throw new LocalMutationError('not_found', 'No such macro.');
  return expandMacro(macro, {
    ticket,
    requester: rows.get('contact', ticket.requesterId),
    agent: rows.get('user', request.agent.id) ?? request.agent,
    newId: request.newId,
  });
}
