import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../../src-server/demo/random';
import { replicaFileName } from '../../../../src-main/core/replica/replica';
import { bundleChild, type ChildLaunch } from '../../../support/child-bundle';
import { readWalIndex, scanWal, WAL_HEADER_BYTES, type WalScan } from '../../../support/wal-file';
import type { CrashAck } from './crash-acks';
import { integrityProblems, replicaProblems } from './crash-checks';
import { killCrashChildren, startCrashChild } from './crash-runner';
import { agentIdentity } from './replica-fixtures';

/**
 * What a power cut may leave of the replica, as far as it can be simulated here (docs/reliability.md).
 * The replica commits with synchronous = NORMAL in WAL mode: a commit is in the log, not yet
 * fsynced; SQLite fsyncs the log before each checkpoint, and markSent commits with FULL, which
 * fsyncs it there. A power cut can lose the log's frames after the last fsync, or some of them;
 * recovery reads frames in order and stops at the first whose checksum fails, so what opens is
 * the last commit before the loss.
 *
 * Simulated: crash-child.ts works on a replica and is stopped (SIGSTOP) at seeded moments; its
 * database and log files are copied as they are (the image a kill leaves, so they must open with
 * everything acknowledged), and then copied again with the log's unsynced part cut at a commit,
 * torn in the middle of a frame, or with one frame lost and the later ones kept. Each must open,
 * pass the integrity checks, hold nothing half applied, and hold everything acknowledged up to
 * the last fsync; the sent marks above all, as the service may have applied what they mark.
 * Not simulated: a lost page cache or a disk that acknowledges an fsync it has not done; writes of
 * a checkpoint to the database file are kept (they come after an fsync of the log that recovery
 * replays them from).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SEED = 11;
const IMAGES = 10;
const FRAME_HEADER_BYTES = 24;

let launch: ChildLaunch;
const work = mkdtempSync(join(tmpdir(), 'replica-power-'));
const fileName = replicaFileName(agentIdentity);

beforeAll(async () => {
  launch = await bundleChild(ROOT, 'tests/integration/core/replica/crash-child.ts', work);
});
afterAll(() => {
  killCrashChildren();
  rmSync(work, { recursive: true, force: true });
});

interface Image {
  dir: string;
  acks: CrashAck[];
}

/**
 * Where the log is surely on disk: up to the last sent mark's commit (FULL), and the frames a
 * checkpoint has copied or is copying (fsynced before). A log whose header the index does not
 * match was started over after a checkpoint of all of it, and is on disk whole.
 */
function durableEnd(wal: Buffer, scan: WalScan, shm: Buffer | null, acks: CrashAck[]): number {
  const index = shm ? readWalIndex(shm) : null;
  if (index && index.salt !== scan.salt) return wal.length;
  const sent = acks.findLast((ack) => ack.op === 'sent');
  const fsynced = sent?.op === 'sent' && sent.walSalt === scan.salt ? sent.walEnd : 0;
  const checkpointed = index ? index.backfilled * (FRAME_HEADER_BYTES + scan.pageSize) : 0;
  return Math.max(WAL_HEADER_BYTES + checkpointed, fsynced);
}

/** The log as a power cut may leave it: its part after `durable` cut, torn or with a hole. */
function cuts(rng: Random, wal: Buffer, scan: WalScan, durable: number): Array<[string, Buffer]> {
  const commits = [durable, ...scan.commitEnds.filter((end) => end > durable)];
  const frames = scan.frameStarts.filter((start) => start >= durable);
  const variants: Array<[string, Buffer]> = [
    ['cut at a commit', wal.subarray(0, rng.pick(commits))],
    ['torn', wal.subarray(0, rng.int(durable, wal.length))],
  ];
  if (frames.length > 0) {
    const hole = Buffer.from(wal);
    const start = rng.pick(frames);
    hole.fill(0, start, start + FRAME_HEADER_BYTES + scan.pageSize);
    variants.push(['a lost frame', hole]);
  }
  return variants;
}

/** A replica folder holding the image's database file and `wal` as its log (no index: rebuilt). */
function restore(image: Image, name: string, wal: Buffer | null): string {
  const dir = join(image.dir, name.replaceAll(' ', '-'));
  mkdirSync(dir);
  copyFileSync(join(image.dir, fileName), join(dir, fileName));
  if (wal) writeFileSync(join(dir, `${fileName}-wal`), wal);
  return dir;
}

/** How many of the acknowledged comments a replica file holds. */
function commentsKept(dir: string, acks: CrashAck[]): number {
  const db = new BetterSqlite3(join(dir, fileName), { readonly: true });
  try {
    const present = db.prepare(
      `SELECT 1 FROM base WHERE entity = 'comment' AND id = ?
       UNION SELECT 1 FROM overlay WHERE entity = 'comment' AND id = ? AND data IS NOT NULL`,
    );
    const ids = acks.flatMap((ack) =>
      ack.op === 'comment' ? [ack.commentId] : ack.op === 'batch' ? ack.commentIds : [],
    );
    return ids.filter((id) => present.get(id, id) !== undefined).length;
  } finally {
    db.close();
  }
}

describe('replica files after a power cut (simulated on copies)', () => {
  it(`open at a commit that holds everything up to the last fsync, from ${IMAGES} images`, async () => {
    const rng = new Random(SEED);
    const live = join(work, 'live');
    const targets = Array.from({ length: IMAGES }, () => rng.int(3, 12));
    const images: Image[] = [];
    let begun = 0;
    let next = targets[0]!;
    let stopped = false;
    const child = startCrashChild(
      ROOT,
      launch,
      { mode: 'work', dir: live, seed: SEED, life: 0, ops: 400 },
      (line, p) => {
        if (!line.startsWith('begin ') || ++begun < next || stopped) return;
        stopped = true;
        void (async () => {
          p.kill('SIGSTOP');
          // Lines written before the stop are read first: they describe what the files hold.
          await sleep(50);
          const dir = join(work, `image-${images.length}`);
          mkdirSync(dir);
          for (const suffix of ['', '-wal', '-shm']) {
            const from = join(live, `${fileName}${suffix}`);
            if (existsSync(from)) copyFileSync(from, join(dir, `${fileName}${suffix}`));
          }
          images.push({ dir, acks: [...child.life.acks] });
          next = begun + (targets[images.length] ?? 0);
          stopped = false;
          p.kill(images.length === IMAGES ? 'SIGKILL' : 'SIGCONT');
        })();
      },
    );
    await child.ended;
    expect(images).toHaveLength(IMAGES);

    let cutsThatLost = 0;
    for (const [n, image] of images.entries()) {
      const walFile = join(image.dir, `${fileName}-wal`);
      const wal = existsSync(walFile) ? readFileSync(walFile) : null;
      // As the files were: what a killed process leaves.
      const asIs = restore(image, 'as is', wal);
      expect(integrityProblems(join(asIs, fileName)), `image ${n}`).toEqual([]);
      expect(replicaProblems(asIs, image.acks), `image ${n}`).toEqual([]);
      const scan = wal ? scanWal(wal) : null;
      if (!wal || !scan) continue;
      const shmFile = join(image.dir, `${fileName}-shm`);
      const shm = existsSync(shmFile) ? readFileSync(shmFile) : null;
      const durable = durableEnd(wal, scan, shm, image.acks);
      const lastSent = image.acks.findLastIndex((ack) => ack.op === 'sent');
      const durableAcks = image.acks.slice(0, lastSent + 1);
      const all = commentsKept(asIs, image.acks);
      for (const [name, cut] of cuts(rng, wal, scan, durable)) {
        const where = `image ${n}, ${name} (log ${wal.length} bytes, on disk to ${durable})`;
        const dir = restore(image, name, cut);
        expect(integrityProblems(join(dir, fileName)), where).toEqual([]);
        expect(replicaProblems(dir, durableAcks), where).toEqual([]);
        if (commentsKept(dir, image.acks) < all) cutsThatLost += 1;
      }
    }
    // The simulation did lose acknowledged commits that came after the last fsync.
    expect(cutsThatLost).toBeGreaterThan(0);
  }, 300_000);
});
