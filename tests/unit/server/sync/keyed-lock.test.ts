import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../../../src-server/sync/keyed-lock';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedLock', () => {
  it('runs the tasks of one key one after another, in call order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string, ms: number) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([
      lock.run('k', task('a', 20)),
      lock.run('k', task('b', 1)),
      lock.run('k', task('c', 5)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs tasks of different keys side by side', async () => {
    const lock = new KeyedLock();
    let releaseA!: () => void;
    const aDone = new Promise<void>((resolve) => (releaseA = resolve));
    const started: string[] = [];
    const a = lock.run('a', async () => {
      started.push('a');
      await aDone;
      return 'a';
    });
    // b finishes while a is still blocked: it did not wait for a.
    const b = await lock.run('b', async () => {
      started.push('b');
      return 'b';
    });
    expect(b).toBe('b');
    expect(started).toEqual(['a', 'b']);
    releaseA();
    await expect(a).resolves.toBe('a');
  });

  it('passes a failure to its caller and still runs the next task of the key', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const failing = lock.run('k', async () => {
      await tick();
      order.push('failing');
      throw new Error('boom');
    });
    const next = lock.run('k', async () => {
      order.push('next');
      return 42;
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(42);
    expect(order).toEqual(['failing', 'next']);
  });

  it('survives a task that throws synchronously', async () => {
    const lock = new KeyedLock();
    const bad = lock.run('k', () => {
      throw new Error('sync');
    });
    await expect(bad).rejects.toThrow('sync');
    await expect(lock.run('k', async () => 'after')).resolves.toBe('after');
  });

  it('forgets a key once its queue is empty', async () => {
    const lock = new KeyedLock();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => lock.run(`key-${i % 4}`, async () => i)),
    );
    await lock.run('other', async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await tick();
    expect(lock['tails'].size).toBe(0);
  });
});
