import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../../src-server/storage/sqlite/migrations';
import { databaseAt, latestDatabase, registration, tableNames } from './migration-fixtures';

const insertUser = (db: Database, id: string) =>
  db
    .prepare(
      `INSERT INTO users (tenant_id, id, email, email_key, password_hash, role, created_at)
       VALUES ('t', ?, ?, ?, 'scrypt$h', 'agent', 'now')`,
    )
    .run(id, `${id}@x.test`, `${id}@x.test`);

describe('0020-passwords', () => {
  it('is registered in version order', () => {
    expect(registration(20)).toEqual({ name: 'passwords', ordered: true });
  });

  it('upgrades a version-10 database: existing users keep their password and need no setup', () => {
    const db = databaseAt(10);
    insertUser(db, 'u1');
    expect(migrate(db)).toBeGreaterThanOrEqual(20);
    expect(db.prepare('SELECT id, password_hash, must_set_password FROM users').all()).toEqual([
      { id: 'u1', password_hash: 'scrypt$h', must_set_password: 0 },
    ]);
    const tables = tableNames(db);
    expect(tables).toContain('password_setup_tokens');
  });

  it('keeps one setup token per user of a tenant', () => {
    const db = latestDatabase();
    const insert = db.prepare(
      `INSERT INTO password_setup_tokens (tenant_id, user_id, token_hash, created_at, expires_at)
       VALUES (?, ?, ?, 'now', 'later')`,
    );
    insert.run('t1', 'u1', 'h1');
    insert.run('t2', 'u1', 'h2');
    expect(() => insert.run('t1', 'u1', 'h3')).toThrow(/UNIQUE|PRIMARY/);
  });
});
