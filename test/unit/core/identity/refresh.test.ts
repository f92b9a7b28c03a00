import { beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../../../functions/core/identity/login';
import { INVALID_REFRESH_TOKEN, refresh } from '../../../../functions/core/identity/refresh';
import type { TokenPair } from '../../../../functions/core/identity/token-pair';
import { UnauthorizedError } from '../../../../functions/platform/errors';
import { aFirm, aUser, type TestIdentityDeps, testIdentityDeps } from '../../../fakes/identity-deps';

const IP = '198.51.100.4';
let deps: TestIdentityDeps;
let session: TokenPair;

beforeEach(async () => {
  deps = testIdentityDeps();
  deps.identities.seedFirm(aFirm('firm-a'), [
    aUser({ tenantId: 'firm-a', userId: 'u-admin', role: 'admin' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv', email: 'bob@firm-a.example' }),
  ]);
  session = await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps);
  deps.audit.entries.length = 0;
});

const rejected = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  expect((error as Error).message).toBe(INVALID_REFRESH_TOKEN);
};

describe('refresh', () => {
  it('rotates: a new pair in the same family, the old token retired', async () => {
    deps.clock.advance(60_000);
    const next = await refresh({ refreshToken: session.refresh_token, ip: IP }, deps);
    expect(next.refresh_token).not.toBe(session.refresh_token);
    expect(next).toMatchObject({ token_type: 'bearer', expires_in: 900 });
    const [old, fresh] = await Promise.all([
      deps.refreshTokens.find(session.refresh_token),
      deps.refreshTokens.find(next.refresh_token),
    ]);
    expect(old?.status).toBe('rotated');
    expect(fresh).toMatchObject({ status: 'active', familyId: old?.familyId });
    expect(fresh?.expiresAt).toBe(Math.floor(deps.clock.now() / 1000) + 30 * 86_400);
    expect(await deps.accessTokens.verify(next.access_token)).toMatchObject({
      userId: 'u-adv',
      role: 'advisor',
    });
    expect(deps.audit.actions()).toEqual(['auth.token_refreshed']);
  });

  it('carries a changed role into the new access token', async () => {
    await deps.identities.updateUser(
      'firm-a',
      'u-adv',
      { role: 'advisor', status: 'active' },
      { role: 'compliance', updatedAt: new Date(deps.clock.now()).toISOString() },
    );
    const next = await refresh({ refreshToken: session.refresh_token, ip: IP }, deps);
    expect((await deps.accessTokens.verify(next.access_token)).role).toBe('compliance');
  });

  it('revokes the whole family when a retired token is presented again, and audits it', async () => {
    const next = await refresh({ refreshToken: session.refresh_token, ip: IP }, deps);
    const newest = await refresh({ refreshToken: next.refresh_token, ip: IP }, deps);
    deps.audit.entries.length = 0;

    await rejected(refresh({ refreshToken: session.refresh_token, ip: '192.0.2.66' }, deps));
    const family = await deps.refreshTokens.find(session.refresh_token);
    expect(deps.audit.entries).toEqual([
      {
        tenantId: 'firm-a',
        entry: {
          action: 'auth.token_family_revoked',
          outcome: 'success',
          target: { type: 'token_family', id: family?.familyId },
          ip: '192.0.2.66',
          details: { reason: 'refresh_token_reused', userId: 'u-adv' },
        },
      },
    ]);
    // The newest descendant dies with the family.
    await rejected(refresh({ refreshToken: newest.refresh_token, ip: IP }, deps));
    // A second replay finds the family already revoked: nothing more to audit.
    await rejected(refresh({ refreshToken: session.refresh_token, ip: IP }, deps));
    expect(deps.audit.actions()).toEqual(['auth.token_family_revoked']);
  });

  it('leaves other sessions of the same user alone when one family is revoked', async () => {
    const other = await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps);
    await refresh({ refreshToken: session.refresh_token, ip: IP }, deps);
    await rejected(refresh({ refreshToken: session.refresh_token, ip: IP }, deps));
    await expect(refresh({ refreshToken: other.refresh_token, ip: IP }, deps)).resolves.toBeDefined();
  });

  it('lets exactly one of two concurrent refreshes of one token win; the loser gets 401', async () => {
    const results = await Promise.allSettled([
      refresh({ refreshToken: session.refresh_token, ip: IP }, deps),
      refresh({ refreshToken: session.refresh_token, ip: IP }, deps),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected');
    expect((loser as PromiseRejectedResult).reason).toBeInstanceOf(UnauthorizedError);
  });

  it('refuses an expired refresh token', async () => {
    deps.clock.advance(30 * 86_400 * 1000);
    await rejected(refresh({ refreshToken: session.refresh_token, ip: IP }, deps));
  });

  it('accepts a token one second before it expires', async () => {
    deps.clock.advance((30 * 86_400 - 1) * 1000);
    await expect(refresh({ refreshToken: session.refresh_token, ip: IP }, deps)).resolves.toBeDefined();
  });

  it.each(['', 'not-a-token', 'f'.repeat(64), 'A'.repeat(64)])(
    'refuses an unknown or malformed token %j',
    async (token) => {
      await rejected(refresh({ refreshToken: token, ip: IP }, deps));
      expect(deps.audit.entries).toEqual([]);
    },
  );

  it('refuses a deactivated user’s token without rotating it', async () => {
    await deps.identities.updateUser(
      'firm-a',
      'u-adv',
      { role: 'advisor', status: 'active' },
      { status: 'deactivated', updatedAt: new Date(deps.clock.now()).toISOString() },
    );
    await rejected(refresh({ refreshToken: session.refresh_token, ip: IP }, deps));
    expect((await deps.refreshTokens.find(session.refresh_token))?.status).toBe('active');
  });

  it('refuses a token whose family was revoked (logout, deactivation)', async () => {
    const record = await deps.refreshTokens.find(session.refresh_token);
    if (!record) throw new Error('seeded token missing');
    await deps.refreshTokens.revokeFamily(
      record,
      { at: 0, reason: 'logout' },
      { action: 'auth.logged_out', outcome: 'success', ip: IP },
    );
    await rejected(refresh({ refreshToken: session.refresh_token, ip: IP }, deps));
  });
});
