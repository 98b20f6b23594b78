import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { migrate } from '../../../src-server/storage/sqlite/migrations';

/**
 * The seed: payment belongs to a third-party processor and no card data is stored anywhere. No
 * schema that travels or is stored, and no column, may even have room for it.
 */
const CARD_DATA = /card|credit|cvv|cvc|pan$|expir|iban|billing/i;

/**
 * Names that match the pattern without being card data, each with its reason. Every entry must
 * still exist (checked below), so that the list cannot silently outlive its reason.
 */
const NOT_CARD_DATA: Record<string, string> = {
  expiresIn: 'lifetime of an access token in seconds (TokenResponse)',
  expires_at: 'when a refresh token or a password setup token expires',
  expiresAt: 'when a password setup token expires (PasswordSetupToken)',
  discardPending: 'sign out although queued changes could not be sent (bridge SignOutInput)',
};

const SHARED = fileURLToPath(new URL('../../../src-shared/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every field name reachable from `value`: zod object shapes, arrays, unions, wrappers, records. */
function collectFields(
  value: unknown,
  into: Map<string, string>,
  where: string,
  seen = new Set<unknown>(),
): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (!(value instanceof z.ZodType)) {
    // Plain containers of schemas: ENTITY_SCHEMAS, MUTATORS ({ args }), ...
    for (const [key, member] of Object.entries(value))
      collectFields(member, into, `${where}.${key}`, seen);
    return;
  }
  const def = (value as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const visit = (child: unknown, path: string) => collectFields(child, into, path, seen);
  switch (def.type) {
    case 'object':
      for (const [field, child] of Object.entries(def.shape as Record<string, unknown>)) {
        if (!into.has(field)) into.set(field, `${where}.${field}`);
        visit(child, `${where}.${field}`);
      }
      if (def.catchall) visit(def.catchall, `${where}.*`);
      break;
    case 'array':
      visit(def.element, `${where}[]`);
      break;
    case 'union':
      (def.options as unknown[]).forEach((option, i) => visit(option, `${where}|${i}`));
      break;
    case 'intersection':
      visit(def.left, where);
      visit(def.right, where);
      break;
    case 'record':
    case 'map':
      visit(def.keyType, `${where}{key}`);
      visit(def.valueType, `${where}{}`);
      break;
    case 'tuple':
      (def.items as unknown[]).forEach((item, i) => visit(item, `${where}[${i}]`));
      if (def.rest) visit(def.rest, `${where}[]`);
      break;
    case 'pipe':
      visit(def.in, where);
      visit(def.out, where);
      break;
    case 'lazy':
      visit((def.getter as () => unknown)(), where);
      break;
    default:
      for (const key of ['innerType', 'schema', 'valueType']) if (def[key]) visit(def[key], where);
  }
}

describe('no card data', () => {
  it('has no room for it in any schema of src-shared', async () => {
    const files = sourceFiles(SHARED);
    expect(files.length).toBeGreaterThan(5);
    const fields = new Map<string, string>();
    for (const file of files) {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const name = relative(SHARED, file);
      for (const [exported, value] of Object.entries(module))
        collectFields(value, fields, `${name}:${exported}`);
    }
    // The walk reaches entities, wire messages and mutation args, nested ones included.
    const known = [
      'subject',
      'seats',
      'newsletter',
      'refreshToken',
      'lastMutationId',
      'conflicts',
      'original',
      'op',
      'ticketId',
      'details',
    ];
    for (const name of known) {
      expect(fields.has(name), name).toBe(true);
    }
    expect(fields.size).toBeGreaterThan(60);
    const suspicious = [...fields].filter(
      ([field]) => CARD_DATA.test(field) && !(field in NOT_CARD_DATA),
    );
    expect(suspicious.map(([field, where]) => `${field} (${where})`)).toEqual([]);
    expect(fields.has('expiresIn')).toBe(true);
  });

  it('has no room for it in any column of the service database', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      migrate(db);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as Array<{ name: string }>;
      expect(tables.length).toBeGreaterThanOrEqual(8);
      const columns = tables.flatMap(({ name }) =>
        (db.pragma(`table_info(${name})`) as Array<{ name: string }>).map((c) => ({
          table: name,
          column: c.name,
        })),
      );
      expect(columns.length).toBeGreaterThan(40);
      expect(tables.filter(({ name }) => CARD_DATA.test(name))).toEqual([]);
      const suspicious = columns.filter(
        ({ column }) => CARD_DATA.test(column) && !(column in NOT_CARD_DATA),
      );
      expect(suspicious).toEqual([]);
      expect(columns.some(({ column }) => column === 'expires_at')).toBe(true);
    } finally {
      db.close();
    }
  });

  it('flags the names it is meant to catch', () => {
    for (const name of [
      'cardNumber',
      'credit_card',
      'cvv',
      'cvc2',
      'pan',
      'cardExpiry',
      'expiration',
      'iban',
      'billingAddress',
    ]) {
      expect(CARD_DATA.test(name), name).toBe(true);
    }
    for (const name of ['company', 'phone', 'website', 'seats'])
      expect(CARD_DATA.test(name), name).toBe(false);
  });
});
