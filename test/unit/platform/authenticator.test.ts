import { describe, expect, it } from 'vitest';
import type { VerifiedAccess } from '../../../functions/platform/crypto/access-token';
import { UnauthorizedError } from '../../../functions/platform/errors';
import { createAuthenticator, type UserStanding } from '../../../functions/platform/http/authenticator';

const access: VerifiedAccess = {
  userId: 'u-1',
  tenantId: 'firm-a',
  role: 'advisor',
  issuedAt: 1000,
  tokenId: 'j',
};

function setup(standing: UserStanding | undefined, cacheMs = 0) {
  const state = { standing, reads: 0, now: 0 };
  const auth = createAuthenticator({
    verify: async (token) => {
      if (token !== 'aaa.bbb.ccc') throw new UnauthorizedError();
      return access;
    },
    standing: async () => {
      state.reads += 1;
      return state.standing;
    },
    cacheMs,
    now: () => state.now,
  });
  return { auth, state };
}

const active: UserStanding = { status: 'active', role: 'advisor', tokensNotBefore: 0 };

describe('authenticator', () => {
  it('returns the principal for a valid bearer token of an active user', async () => {
    const { auth } = setup(active);
    await expect(auth.authenticate('Bearer aaa.bbb.ccc')).resolves.toEqual({
      userId: 'u-1',
      tenantId: 'firm-a',
      role: 'advisor',
    });
  });

  it.each([undefined, '', 'aaa.bbb.ccc', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer   '])(
    'rejects a missing or malformed Authorization header (%s)',
    async (header) => {
      await expect(setup(active).auth.authenticate(header)).rejects.toBeInstanceOf(UnauthorizedError);
    },
  );

  it.each<[string, UserStanding | undefined]>([
    ['a deleted user', undefined],
    ['a deactivated user', { ...active, status: 'deactivated' }],
    ['an invited (not yet active) user', { ...active, status: 'invited' }],
    ['a token issued before the user’s tokens were revoked', { ...active, tokensNotBefore: 1001 }],
    ['a token whose role is no longer the user’s', { ...active, role: 'admin' }],
  ])('rejects %s', async (_name, standing) => {
    await expect(setup(standing).auth.authenticate('Bearer aaa.bbb.ccc')).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('trusts a standing for cacheMs only, and forget() drops it at once', async () => {
    const { auth, state } = setup(active, 1000);
    await auth.authenticate('Bearer aaa.bbb.ccc');
    await auth.authenticate('Bearer aaa.bbb.ccc');
    expect(state.reads).toBe(1);
    state.standing = { ...active, status: 'deactivated' };
    state.now = 1001;
    await expect(auth.authenticate('Bearer aaa.bbb.ccc')).rejects.toBeInstanceOf(UnauthorizedError);
    state.standing = active;
    auth.forget('firm-a', 'u-1');
    await expect(auth.authenticate('Bearer aaa.bbb.ccc')).resolves.toBeDefined();
  });
});

describe('authenticator standing cache', () => {
  function controlled(cacheMs: number) {
    const state = { now: 0, reads: 0, standing: active as UserStanding, resolvers: [] as (() => void)[] };
    const auth = createAuthenticator({
      verify: async () => access,
      standing: () => {
        state.reads += 1;
        const value = state.standing;
        return new Promise((resolve) => state.resolvers.push(() => resolve(value)));
      },
      cacheMs,
      now: () => state.now,
    });
    const tick = () => new Promise((r) => setImmediate(r));
    // Lets pending authentications reach the standing read, answers every read, lets them finish.
    const flush = async () => {
      await tick();
      for (const resolve of state.resolvers.splice(0)) resolve();
      await tick();
    };
    return { auth, state, flush, tick };
  }

  it('makes one read for a burst of requests that all miss', async () => {
    const { auth, state, flush } = controlled(1000);
    const burst = Array.from({ length: 16 }, () => auth.authenticate('Bearer aaa.bbb.ccc'));
    await flush();
    await Promise.all(burst);
    expect(state.reads).toBe(1);
  });

  it('refreshes ahead: past half the cache time it answers from cache and reads in the background', async () => {
    const { auth, state, flush } = controlled(1000);
    const first = auth.authenticate('Bearer aaa.bbb.ccc');
    await flush();
    await first;
    state.now = 600;
    state.standing = { ...active, status: 'deactivated' };
    await expect(auth.authenticate('Bearer aaa.bbb.ccc')).resolves.toBeDefined();
    expect(state.reads).toBe(2);
    await flush();
    await expect(auth.authenticate('Bearer aaa.bbb.ccc')).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('does not let a read that started before forget() restore the old standing', async () => {
    const { auth, state, flush, tick } = controlled(1000);
    const stale = auth.authenticate('Bearer aaa.bbb.ccc');
    await tick(); // the read of the active standing is now in flight
    state.standing = { ...active, status: 'deactivated' };
    auth.forget('firm-a', 'u-1');
    await flush();
    await stale;
    const next = expect(auth.authenticate('Bearer aaa.bbb.ccc')).rejects.toBeInstanceOf(UnauthorizedError);
    await flush();
    await next;
  });
});
