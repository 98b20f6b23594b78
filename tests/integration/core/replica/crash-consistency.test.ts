import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../../src-server/demo/random';
import { bundleChild, type ChildLaunch } from '../../../support/child-bundle';
import { integrityProblems, replicaProblems } from './crash-checks';
import type { CrashAck } from './crash-acks';
import { diedInside, killCrashChildren, startCrashChild } from './crash-runner';
import { REPLICA_MIGRATIONS, migrateReplica } from '../../../../src-main/core/replica/migrations';
import { openReplica, replicaFileName } from '../../../../src-main/core/replica/replica';
import { writeVersion10Replica } from './old-replica';
import { agentIdentity } from './replica-fixtures';

/**
 * The replica's process SIGKILLed at random points (crash-child.ts). Of its writes: inside a pull
 * page, an optimistic mutation with its outbox row, a batch of mutations, the sent mark, the
 * answers, a confirming page; after each kill the file passes SQLite's integrity checks, opens,
 * holds everything the process acknowledged as committed, and nothing half applied
 * (crash-checks.ts). Of its migrations, opening a version-10 replica of 20,000 tickets: after each
 * kill the file is at one version or the next, with exactly that version's schema, its data
 * whole, and the next start completes the migrations. The seed fixes where the kills land, as far
 * as a machine's timing lets it.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SEED = 8;
const KILLS = 24;

let launch: ChildLaunch;
const work = mkdtempSync(join(tmpdir(), 'replica-crash-'));

beforeAll(async () => {
  launch = await bundleChild(ROOT, 'tests/integration/core/replica/crash-child.ts', work);
});
afterAll(() => {
  killCrashChildren();
  rmSync(work, { recursive: true, force: true });
});

describe('replica killed during a write', () => {
  it(`loses nothing committed and applies nothing by half, over ${KILLS} kills`, async () => {
    const rng = new Random(SEED);
    const dir = join(work, 'writes');
    const file = join(dir, replicaFileName(agentIdentity));
    const acks: CrashAck[] = [];
    let inside = 0;
    for (let life = 0; life < KILLS; life++) {
      // Killed a little after the k-th transaction began (the first life: inside its snapshot).
      const k = life === 0 ? 1 : rng.int(1, 20);
      const delayMs = rng.int(0, 15);
      let begun = 0;
      const child = startCrashChild(
        ROOT,
        launch,
        { mode: 'work', dir, seed: SEED, life },
        (line, p) => {
          if (line.startsWith('begin ') && ++begun === k)
            setTimeout(() => p.kill('SIGKILL'), delayMs);
        },
      );
      const ended = await child.ended;
      expect(ended.signal, `life ${life}: ${ended.stderr}`).toBe('SIGKILL');
      if (diedInside(ended)) inside += 1;
      acks.push(...ended.acks);
      const where = `life ${life}, killed after ${ended.lines.at(-1)}`;
      expect(integrityProblems(file), where).toEqual([]);
      expect(replicaProblems(dir, acks), where).toEqual([]);
    }
    // Most kills landed inside a transaction, not between two.
    expect(inside).toBeGreaterThan(KILLS / 2);

    // A last life runs to its end, and then everything it and the others did is there.
    const last = await startCrashChild(ROOT, launch, {
      mode: 'work',
      dir,
      seed: SEED,
      life: KILLS,
      ops: 30,
    }).ended;
    expect(last.code, last.stderr).toBe(0);
    acks.push(...last.acks);
    expect(integrityProblems(file)).toEqual([]);
    expect(replicaProblems(dir, acks)).toEqual([]);
    expect(acks.filter((a) => a.op === 'comment').length).toBeGreaterThan(KILLS);
    expect(acks.filter((a) => a.op === 'confirmed').length).toBeGreaterThan(0);
  }, 300_000);
});

/** The schema of a replica migrated from nothing to `version`. */
function schemaAt(version: number): unknown[] {
  const db = new BetterSqlite3(':memory:');
  try {
    migrateReplica(
      db,
      REPLICA_MIGRATIONS.filter((m) => m.version <= version),
    );
    return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name').all();
  } finally {
    db.close();
  }
}

/** The file's schema version, its schema, and a digest of the data every version holds. */
function inspect(file: string): { version: number; schema: unknown[]; data: string } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const digest = createHash('sha256');
    for (const sql of [
      // The keys of a version-10 replica (later code may add its own).
      "SELECT * FROM meta WHERE key IN ('clientId', 'cursor', 'epoch', 'generation', 'snapshot', 'nextMutationId', 'identity') ORDER BY key",
      'SELECT entity, id, data, parent_id, generation FROM base ORDER BY entity, id',
      'SELECT entity, id, data, parent_id FROM overlay ORDER BY entity, id',
      'SELECT id, name, args, base, created_at, sent_at, result, inverse, undone FROM outbox ORDER BY id',
      `SELECT id, number, subject, status, priority, requester_id, assignee_id, created_at,
              updated_at, pending FROM tickets ORDER BY id`,
    ]) {
      for (const row of db.prepare(sql).raw().iterate()) digest.update(JSON.stringify(row));
    }
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name').all(),
      data: digest.digest('hex'),
    };
  } finally {
    db.close();
  }
}

describe('replica killed while migrating', () => {
  const ROUNDS = 8;
  const TICKETS = 20_000;

  it(`is at one version or the next after each of ${ROUNDS * 2} kills, and completes`, async () => {
    const rng = new Random(SEED);
    const template = join(work, 'version-10.sqlite');
    writeVersion10Replica(template, TICKETS, 300);
    const before = inspect(template);
    const versions = REPLICA_MIGRATIONS.map((m) => m.version);
    const schemas = new Map(versions.map((v) => [v, schemaAt(v)]));

    // How long the migrations take here: the kills are spread over that time.
    const timed = join(work, 'migrate-timed');
    mkdirSync(timed);
    copyFileSync(template, join(timed, replicaFileName(agentIdentity)));
    let readyAt = 0;
    let migrateMs = 0;
    const calibration = await startCrashChild(
      ROOT,
      launch,
      { mode: 'migrate', dir: timed, seed: SEED, life: 0 },
      (line) => {
        if (line === 'ready') readyAt = Date.now();
        if (line === 'done') migrateMs = Date.now() - readyAt;
      },
    ).ended;
    expect(calibration.code, calibration.stderr).toBe(0);
    expect(inspect(join(timed, replicaFileName(agentIdentity))).version).toBe(versions.at(-1));

    const found = new Set<number>();
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(work, `migrate-${round}`);
      mkdirSync(dir);
      const file = join(dir, replicaFileName(agentIdentity));
      copyFileSync(template, file);
      // Killed twice: in the first start's migrations, then in the next start's.
      for (let life = 0; life < 2; life++) {
        const delayMs = rng.int(0, migrateMs);
        const ended = await startCrashChild(
          ROOT,
          launch,
          { mode: 'migrate', dir, seed: SEED, life },
          (line, p) => {
            if (line === 'ready') setTimeout(() => p.kill('SIGKILL'), delayMs);
          },
        ).ended;
        const where = `round ${round}, life ${life}, killed ${delayMs} ms in`;
        expect(ended.code, `${where}: ${ended.stderr}`).not.toBe(1);
        expect(integrityProblems(file), where).toEqual([]);
        const after = inspect(file);
        expect(versions, where).toContain(after.version);
        expect(after.schema, where).toEqual(schemas.get(after.version));
        expect(after.data, where).toBe(before.data);
        found.add(after.version);
      }
      const replica = openReplica(dir, agentIdentity);
      try {
        expect(replica.db.pragma('user_version', { simple: true })).toBe(versions.at(-1));
        expect(replica.counts().pending).toBe(300);
        const unset = replica.db
          .prepare("SELECT count(*) FROM tickets WHERE last_customer_reply_at = ''")
          .pluck()
          .get();
        expect(unset).toBe(0);
      } finally {
        replica.close();
      }
    }
    // Some kill landed inside the migrations (the file was left at a version before the last).
    expect(
      [...found].some((v) => v < versions.at(-1)!),
      [...found].join(','),
    ).toBe(true);
  }, 300_000);
});
