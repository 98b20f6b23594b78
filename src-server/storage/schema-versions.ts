/**
 * The service's schema versions, the same for SQLite and PostgreSQL: forward-only, numbers up in
 * tens. Each storage gives every version its own SQL (`migrations/00N0-name.ts`, exporting `up`);
 * a storage that lacks one fails to typecheck.
 */
const SCHEMA_VERSIONS = [
  { version: 10, name: 'initial' },
  { version: 20, name: 'passwords' },
  { version: 30, name: 'operators' },
  { version: 40, name: 'privacy-records' },
  { version: 50, name: 'attachments' },
  { version: 60, name: 'ticket-numbers' },
] as const;

/** A tuple as long as `T`, of `V`s. */
type Each<T extends readonly unknown[], V> = { readonly [I in keyof T]: V };

/** One storage's migrations, from its migration modules in version order. */
export function schemaMigrations<Up>(
  modules: Each<typeof SCHEMA_VERSIONS, { up: Up }>,
): ReadonlyArray<{ version: number; name: string; up: Up }> {
  return SCHEMA_VERSIONS.map((v, i) => ({ ...v, up: modules[i]!.up }));
}
