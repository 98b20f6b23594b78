import type { Macro } from '../domain/entities';
import { normaliseTags } from '../domain/primitives';
import { DeleteMacroArgs, SaveMacroArgs } from './args';
import { applied, reject, type MutatorDef } from './types';

/**
 * Creates a macro, or replaces the one with this id (keeping when it was created). Its tag lists
 * are stored as sets, like a ticket's.
 */
export const saveMacro: MutatorDef<typeof SaveMacroArgs> = {
  args: SaveMacroArgs,
  adminOnly: true,
  reads: (args) => [{ entity: 'macro', id: args.id }],
  apply(rows, args, _base, ctx) {
    const existing = rows.get('macro', args.id);
    const { addTags, removeTags, ...fields } = args.actions;
    const macro: Macro = {
      ...args,
      actions: {
        ...fields,
        ...(addTags ? { addTags: normaliseTags(addTags) } : {}),
        ...(removeTags ? { removeTags: normaliseTags(removeTags) } : {}),
      },
      createdAt: existing?.createdAt ?? ctx.now,
      updatedAt: ctx.now,
    };
    return applied([{ entity: 'macro', id: macro.id, op: 'upsert', data: macro }]);
  },
};

export const deleteMacro: MutatorDef<typeof DeleteMacroArgs> = {
  args: DeleteMacroArgs,
  adminOnly: true,
  reads: (args) => [{ entity: 'macro', id: args.macroId }],
  apply(rows, args) {
    if (!rows.get('macro', args.macroId)) return reject('not_found', 'macro not found');
    return applied([{ entity: 'macro', id: args.macroId, op: 'delete' }]);
  },
};
