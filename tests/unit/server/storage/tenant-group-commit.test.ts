import { describe, expect, it } from 'vitest';
import {
  TenantGroupCommit,
  type ItemOutcome,
} from '../../../../src-server/storage/postgres/tenant-group-commit';

/** A commit that the test finishes by hand, recording each group it was given. */
function controlledCommit() {
  const groups: Array<{ tenant: string; items: readonly number[]; finish: () => void }> = [];
  const commit = (tenant: string, items: readonly number[]) =>
    new Promise<ItemOutcome<number>[]>((resolve, reject) => {
      groups.push({
        tenant,
        items,
        finish: () => {
          if (items.includes(-1)) reject(new Error('commit failed'));
          else
            resolve(
              items.map((n) => (n === 13 ? { error: new Error('unlucky') } : { result: n * 10 })),
            );
        },
      });
    });
  return { groups, grouped: new TenantGroupCommit(commit) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TenantGroupCommit', () => {
  it('puts what a tenant submits during a commit into the next group, in order', async () => {
    const { groups, grouped } = controlledCommit();
    const first = grouped.submit('a', 1);
    await tick();
    expect(groups.map((g) => g.items)).toEqual([[1]]);
    const later = [2, 3, 4].map((n) => grouped.submit('a', n));
    await tick();
    // Still one group: the next waits for the first to commit.
    expect(groups).toHaveLength(1);
    groups[0]!.finish();
    expect(await first).toBe(10);
    await tick();
    expect(groups.map((g) => g.items)).toEqual([[1], [2, 3, 4]]);
    groups[1]!.finish();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('groups what arrives in the same turn, and never makes one tenant wait for another', async () => {
    const { groups, grouped } = controlledCommit();
    const a = [grouped.submit('a', 1), grouped.submit('a', 2)];
    const b = grouped.submit('b', 5);
    await tick();
    expect(groups.map((g) => [g.tenant, g.items])).toEqual([
      ['a', [1, 2]],
      ['b', [5]],
    ]);
    groups[1]!.finish();
    expect(await b).toBe(50);
    groups[0]!.finish();
    expect(await Promise.all(a)).toEqual([10, 20]);
  });

  it('fails only the item that threw, and the whole group when the commit fails', async () => {
    const { groups, grouped } = controlledCommit();
    const items = [grouped.submit('a', 12), grouped.submit('a', 13)];
    await tick();
    groups[0]!.finish();
    await expect(items[0]).resolves.toBe(120);
    await expect(items[1]).rejects.toThrow('unlucky');

    const failing = [grouped.submit('a', 7), grouped.submit('a', -1)];
    await tick();
    groups[1]!.finish();
    await expect(failing[0]).rejects.toThrow('commit failed');
    await expect(failing[1]).rejects.toThrow('commit failed');

    // The tenant is served again afterwards.
    const after = grouped.submit('a', 3);
    await tick();
    groups[2]!.finish();
    expect(await after).toBe(30);
  });
});
