import { Tag } from '../../src-shared/domain/primitives';

/** A tag as typed, checked with the shared schema (lower case, no spaces…), or why not. */
export function parseTag(text: string): { ok: true; tag: string } | { ok: false; message: string } {
  const tag = Tag.safeParse(text);
  if (tag.success) return { ok: true, tag: tag.data };
  return { ok: false, message: `A tag ${tag.error.issues[0]?.message ?? 'is not valid'}.` };
}
