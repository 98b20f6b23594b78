import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../../../src-server/storage/sqlite/migrations';

const open: Database[] = [];
function memoryDb(): Database {
  const db = new BetterSqlite3(':memory:');
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const insertUser = (db: Database, id: string) =>
  db
    .prepare(
      `INSERT INTO users (tenant_id, id, email, email_key, password_hash, role, created_at)
       VALUES ('t', ?, ?, ?, 'scrypt$h', 'agent', 'now')`,
    )
    .run(id, `${id}@x.test`, `${id}@x.test`);

describe('0020-passwords', () => {
  it('is registered in version order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toContain(20);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(MIGRATIONS.find((m) => m.version === 20)!.name).toBe('passwords');
  });

  it('upgrades a version-10 database: existing users keep their password and need no setup', () => {
    const db = memoryDb();
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 10),
    );
    insertUser(db, 'u1');
    expect(migrate(db)).toBeGreaterThanOrEqual(20);
    expect(db.prepare('SELECT id, password_hash, must_set_password FROM users').all()).toEqual([
      { id: 'u1', password_hash: 'scrypt$h', must_set_password: 0 },
    ]);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toContain('password_setup_tokens');
  });

  it('keeps one setup token per user of a tenant', () => {
    const db = memoryDb();
    migrate(db);
    const insert = db.prepare(
      `INSERT INTO password_setup_tokens (tenant_id, user_id, token_hash, created_at, expires_at)
       VALUES (?, ?, ?, 'now', 'later')`,
    );
    insert.run('t1', 'u1', 'h1');
    insert.run('t2', 'u1', 'h2');
    expect(() => insert.run('t1', 'u1', 'h3')).toThrow(/UNIQUE|PRIMARY/);
  });
});
