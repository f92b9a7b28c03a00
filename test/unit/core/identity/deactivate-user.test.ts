import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import { deactivateUser } from '../../../../functions/core/identity/deactivate-user';
import { LastAdminError } from '../../../../functions/core/identity/errors';
import { login } from '../../../../functions/core/identity/login';
import { refresh } from '../../../../functions/core/identity/refresh';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../../../functions/platform/errors';
import { aFirm, aUser, START, type TestIdentityDeps, testIdentityDeps } from '../../../fakes/identity-deps';

const IP = '198.51.100.4';
const admin: Principal = { tenantId: 'firm-a', userId: 'u-admin', role: 'admin' };
let deps: TestIdentityDeps;

beforeEach(() => {
  deps = testIdentityDeps();
  deps.identities.seedFirm(aFirm('firm-a'), [
    aUser({ tenantId: 'firm-a', userId: 'u-admin', role: 'admin' }),
    aUser({ tenantId: 'firm-a', userId: 'u-admin2', role: 'admin' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv', email: 'bob@firm-a.example' }),
  ]);
  deps.identities.seedFirm(aFirm('firm-b'), [aUser({ tenantId: 'firm-b', userId: 'u-b', role: 'admin' })]);
});

const deactivate = (userId: string, actor = admin) => deactivateUser({ userId, actor, ip: IP }, deps);

describe('deactivateUser', () => {
  it('deactivates, stops access tokens, revokes every session and audits each', async () => {
    const sessions = [
      await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps),
      await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps),
    ];
    deps.audit.entries.length = 0;
    deps.clock.advance(2_000);

    const user = await deactivate('u-adv');
    expect(user.status).toBe('deactivated');
    expect((await deps.identities.getUser('firm-a', 'u-adv'))?.tokensNotBefore).toBe(
      Math.floor((START + 2_000) / 1000),
    );
    for (const session of sessions) {
      expect((await deps.refreshTokens.find(session.refresh_token))?.familyStatus).toBe('revoked');
      await expect(refresh({ refreshToken: session.refresh_token, ip: IP }, deps)).rejects.toThrow(
        UnauthorizedError,
      );
    }
    const families = await Promise.all(sessions.map((s) => deps.refreshTokens.find(s.refresh_token)));
    expect(deps.audit.entries.map((e) => [e.entry.action, e.entry.target, e.entry.details])).toEqual([
      ['user.deactivated', { type: 'user', id: 'u-adv' }, { previousStatus: 'active' }],
      ...families.map((family) => [
        'auth.token_family_revoked',
        { type: 'token_family', id: family?.familyId },
        { reason: 'user_deactivated', userId: 'u-adv' },
      ]),
    ]);
  });

  it('deactivates another admin while one remains', async () => {
    await deactivate('u-admin2');
    expect(await deps.identities.activeAdminCount('firm-a')).toBe(1);
  });

  it('refuses an admin deactivating themself', async () => {
    await expect(deactivate('u-admin')).rejects.toThrow('You cannot deactivate yourself.');
  });

  it('refuses to deactivate the last active admin', async () => {
    await deactivate('u-admin2');
    // Only reachable through a principal that is no longer the admin it was (a stale but valid token).
    const stale: Principal = { tenantId: 'firm-a', userId: 'u-admin2', role: 'admin' };
    const error = await deactivate('u-admin', stale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LastAdminError);
    expect((await deps.identities.getUser('firm-a', 'u-admin'))?.status).toBe('active');
  });

  it('is idempotent: a second call changes nothing and audits nothing', async () => {
    await deactivate('u-adv');
    deps.audit.entries.length = 0;
    expect((await deactivate('u-adv')).status).toBe('deactivated');
    expect(deps.audit.entries).toEqual([]);
  });

  it('finishes an earlier call’s revocation on retry', async () => {
    const session = await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps);
    await deps.identities.updateUser(
      'firm-a',
      'u-adv',
      { role: 'advisor', status: 'active' },
      { status: 'deactivated', updatedAt: new Date(START).toISOString() },
    );
    await deactivate('u-adv');
    expect((await deps.refreshTokens.find(session.refresh_token))?.familyStatus).toBe('revoked');
  });

  it('answers a user of another firm exactly like a missing one', async () => {
    const foreign = await deactivate('u-b').catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(foreign).toEqual(await deactivate('u-nobody').catch((e: unknown) => e));
    expect((await deps.identities.getUser('firm-b', 'u-b'))?.status).toBe('active');
  });

  it('is for admins only', async () => {
    await expect(deactivate('u-adv', { ...admin, role: 'advisor' })).rejects.toThrow(ForbiddenError);
  });
});
