import { describe, expect, it } from 'vitest';
import type { TokenResponse } from '../../../../src-shared/protocol/auth';
import { TokenSession } from '../../../../src-main/core/session/token-session';
import { MemoryTokens } from '../../../support/sync-harness';

/**
 * moveAccount (the user's email, part of the keychain name, changed): the refresh token must end
 * under the new name even when a rotation is under way, and stay under the old one if the move
 * fails.
 */

function tokens(refreshToken: string): TokenResponse {
  return {
    accessToken: `access-${refreshToken}`,
    refreshToken,
    expiresIn: 900,
  } as TokenResponse;
}

/** A refresh endpoint whose answers the test hands out one by one. */
function heldRefresh() {
  const waiting: Array<(answer: TokenResponse) => void> = [];
  const presented: string[] = [];
  return {
    presented,
    waiting,
    api: {
      refresh: (refreshToken: string) => {
        presented.push(refreshToken);
        return new Promise<TokenResponse>((resolve) => waiting.push(resolve));
      },
    },
  };
}

/** Copies the secret to the new name, then deletes the old, as HelpdeskService does. */
function mover(store: MemoryTokens) {
  return async (from: string, to: string) => {
    const secret = await store.get(from);
    if (secret) await store.set(to, secret);
    store.map.delete(from);
  };
}

describe('TokenSession.moveAccount', () => {
  it('waits for a rotation under way, so the rotated token ends under the new name', async () => {
    const store = new MemoryTokens();
    store.map.set('old', 'r1');
    const refresh = heldRefresh();
    const session = new TokenSession(refresh.api, store, 'old', () => 'client');

    const access = session.current();
    await expect.poll(() => refresh.waiting.length).toBe(1);
    const moves: string[] = [];
    const moved = session.moveAccount('new', async (from, to) => {
      moves.push(`${from}->${to}`);
      await mover(store)(from, to);
    });
    // Moving now would copy r1, which the rotation is spending, and lose r2 under the old name.
    await new Promise((resolve) => setImmediate(resolve));
    expect(moves).toEqual([]);
    refresh.waiting.shift()!(tokens('r2'));
    expect(await access).toBe('access-r2');
    await moved;
    expect(moves).toEqual(['old->new']);
    expect([...store.map]).toEqual([['new', 'r2']]);

    // The next rotation presents the moved token and stores its successor under the new name.
    const again = session.refreshAfterUnauthorized();
    await expect.poll(() => refresh.waiting.length).toBe(1);
    refresh.waiting.shift()!(tokens('r3'));
    expect(await again).toBe('access-r3');
    expect(refresh.presented).toEqual(['r1', 'r2']);
    expect([...store.map]).toEqual([['new', 'r3']]);
  });

  it('stays on the old name when the move fails', async () => {
    const store = new MemoryTokens();
    store.map.set('old', 'r1');
    const refresh = heldRefresh();
    const session = new TokenSession(refresh.api, store, 'old', () => 'client');
    await expect(
      session.moveAccount('new', async () => {
        throw new Error('keychain locked');
      }),
    ).rejects.toThrow('keychain locked');

    const access = session.current();
    await expect.poll(() => refresh.waiting.length).toBe(1);
    refresh.waiting.shift()!(tokens('r2'));
    expect(await access).toBe('access-r2');
    expect(refresh.presented).toEqual(['r1']);
    expect([...store.map]).toEqual([['old', 'r2']]);
  });
});
