import { lookup } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, verifyPassword } from '../../../../src-server/auth/passwords';

describe('password hashes', () => {
  it('use scrypt with its cost, a 16-byte salt and a 32-byte key', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    const [, , , , salt, key] = hash.split('$');
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(hash).not.toContain('correct horse');
  });

  it('verify the right password only', async () => {
    const hash = await hashPassword('correct horse battery');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery ', hash)).resolves.toBe(false);
  });

  it('leave a thread of the pool free: a host name lookup is not queued behind a burst of hashes', async () => {
    // A PostgreSQL pool's new connection looks up the database host on libuv's thread pool, as
    // this does. Eight hashes at once would take every thread for several hash times.
    const finished: string[] = [];
    const hashes = Array.from({ length: 8 }, (_, i) =>
      hashPassword(`burst-password-${i}`).then(() => finished.push(`hash ${i}`)),
    );
    await lookup('localhost');
    finished.push('lookup');
    await Promise.all(hashes);
    expect(finished[0]).toBe('lookup');
    expect(finished).toHaveLength(9);
  });

  it('salt each hash: the same password twice gives two hashes that both verify', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same-password-1'),
      hashPassword('same-password-1'),
    ]);
    expect(a).not.toBe(b);
    await expect(verifyPassword('same-password-1', a)).resolves.toBe(true);
    await expect(verifyPassword('same-password-1', b)).resolves.toBe(true);
  });

  it('compare passwords in Unicode NFKC form', async () => {
    const hash = await hashPassword('ﬁle-Å-password');
    await expect(verifyPassword('file-Å-password', hash)).resolves.toBe(true);
  });

  it('reject stored values of another scheme or with missing parts', async () => {
    const good = await hashPassword('some-password-1');
    for (const stored of [
      '',
      'plain',
      good.replace(/^scrypt/, 'bcrypt'),
      good.split('$').slice(0, 5).join('$'),
    ]) {
      await expect(verifyPassword('some-password-1', stored)).resolves.toBe(false);
    }
  });

  it('offer a decoy hash that no password chosen by a person matches', async () => {
    const decoy = await decoyHash();
    expect(await decoyHash()).toBe(decoy);
    expect(decoy).toMatch(/^scrypt\$/);
    await expect(verifyPassword('demo-password-1', decoy)).resolves.toBe(false);
  });
});
