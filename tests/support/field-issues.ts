import type { FieldIssue } from '../../src-shared/protocol/errors';

/**
 * Whether the `details` of a bad_request name the field at `path` (`a.b.c`): by that path, by a path
 * inside it, or, for an unknown member reported on its parent object, by the parent's path with the
 * member's name in the message.
 */
export function namesField(details: readonly FieldIssue[] | undefined, path: string): boolean {
  const segments = path.split('.');
  const name = segments.at(-1)!;
  const parent = segments.length > 1 ? segments.slice(0, -1).join('.') : '(root)';
  return (details ?? []).some(
    (d) =>
      d.path === path ||
      d.path.startsWith(`${path}.`) ||
      (d.path === parent && d.message.includes(`"${name}"`)),
  );
}
