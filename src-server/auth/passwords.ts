import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt is memory-hard and ships with Node (no native add-on to build or download). The cost is
 * stored with each hash so that it can be raised later without breaking old ones.
 */
const COST = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/**
 * scrypt runs on libuv's thread pool (UV_THREADPOOL_SIZE threads, 4 by default), which other work
 * needs too: a new PostgreSQL pool connection looks up the database's host name there. With every
 * thread hashing, a burst of log-ins made such a connection wait for all the hashes queued before
 * it (seconds under load); so at most one thread fewer than the pool hashes at any time.
 */
const MAX_HASHING = Math.max(1, (Number(process.env['UV_THREADPOOL_SIZE']) || 4) - 1);
let hashing = 0;
const waitingToHash: Array<() => void> = [];

async function withHashingSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (hashing < MAX_HASHING) hashing += 1;
  // A finished derivation hands its slot straight to the next in line (the count stays).
  else await new Promise<void>((resolve) => waitingToHash.push(resolve));
  try {
    return await fn();
  } finally {
    const next = waitingToHash.shift();
    if (next) next();
    else hashing -= 1;
  }
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return withHashingSlot(
    () =>
      new Promise((resolve, reject) => {
        const maxmem = 256 * (options.N ?? COST.N) * (options.r ?? COST.r);
        scrypt(
          password.normalize('NFKC'),
          salt,
          KEY_LENGTH,
          { ...options, maxmem },
          (error, key) => (error ? reject(error) : resolve(key)),
        );
      }),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to verify against when the account does not exist, so that both cases take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
