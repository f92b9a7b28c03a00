import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import { acceptInvite, INVALID_INVITE } from '../../../../functions/core/identity/accept-invite';
import { inviteUser } from '../../../../functions/core/identity/invite-user';
import { login } from '../../../../functions/core/identity/login';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../../functions/platform/errors';
import { aFirm, aUser, type TestIdentityDeps, testIdentityDeps } from '../../../fakes/identity-deps';

const IP = '198.51.100.4';
const admin: Principal = { tenantId: 'firm-a', userId: 'u-admin', role: 'admin' };
let deps: TestIdentityDeps;

beforeEach(() => {
  deps = testIdentityDeps();
  deps.identities.seedFirm(aFirm('firm-a'), [
    aUser({ tenantId: 'firm-a', userId: 'u-admin', role: 'admin' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv', email: 'bob@firm-a.example' }),
  ]);
  deps.identities.seedFirm(aFirm('firm-b'), [
    aUser({ tenantId: 'firm-b', userId: 'u-b', role: 'admin', email: 'cy@firm-b.example' }),
  ]);
});

const invite = (overrides: Partial<{ email: string; name: string; role: string }> = {}, actor = admin) =>
  inviteUser(
    { email: 'Dee@Firm-A.example', name: 'Dee Park', role: 'advisor', ...overrides, actor, ip: IP } as never,
    deps,
  );

describe('inviteUser', () => {
  it('creates an invited user and returns a one-time token valid for the configured TTL', async () => {
    const invitation = await invite();
    expect(invitation.inviteToken).toMatch(/^[0-9a-f]{64}$/);
    expect(invitation.expiresAt).toBe(new Date(deps.clock.now() + 7 * 86_400_000).toISOString());
    expect(invitation.user).toMatchObject({
      email: 'dee@firm-a.example',
      status: 'invited',
      role: 'advisor',
    });
    expect(invitation.user).not.toHaveProperty('passwordHash');
    const stored = await deps.identities.getUser('firm-a', invitation.user.userId);
    expect(stored?.passwordHash).toBeUndefined();
    expect(deps.audit.entries).toEqual([
      {
        tenantId: 'firm-a',
        entry: {
          action: 'user.invited',
          outcome: 'success',
          actor: { userId: 'u-admin', role: 'admin' },
          target: { type: 'user', id: invitation.user.userId },
          ip: IP,
          details: { role: 'advisor', reissued: false },
        },
      },
    ]);
  });

  it('is for admins only', async () => {
    for (const role of ['advisor', 'assistant', 'compliance'] as const) {
      await expect(invite({}, { ...admin, role })).rejects.toThrow(ForbiddenError);
    }
  });

  it('refuses an email in use in this firm or another, in any case, with the same message', async () => {
    for (const email of ['BOB@firm-a.example', 'cy@firm-b.example']) {
      const error = await invite({ email }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe('A user with this email already exists.');
    }
  });

  it('reissues a token for a still-invited user (updating name and role)', async () => {
    const first = await invite();
    deps.clock.advance(8 * 86_400_000);
    const second = await invite({ role: 'compliance', name: 'Dee P.' });
    expect(second.user).toMatchObject({ userId: first.user.userId, role: 'compliance', name: 'Dee P.' });
    expect(deps.audit.entries.at(-1)?.entry.details).toEqual({ role: 'compliance', reissued: true });
    await acceptInvite({ inviteToken: second.inviteToken, password: 'a fine passphrase', ip: IP }, deps);
    expect((await deps.identities.getUser('firm-a', first.user.userId))?.role).toBe('compliance');
  });

  it('activates a user once even when two of their invites are still valid', async () => {
    const first = await invite();
    const second = await invite();
    await acceptInvite({ inviteToken: second.inviteToken, password: 'a fine passphrase', ip: IP }, deps);
    await expect(
      acceptInvite({ inviteToken: first.inviteToken, password: 'another passphrase', ip: IP }, deps),
    ).rejects.toThrow(NotFoundError);
    expect((await deps.identities.getUser('firm-a', first.user.userId))?.passwordHash).toBe(
      'fake$a fine passphrase',
    );
  });

  it('refuses to re-invite an active user', async () => {
    const { inviteToken } = await invite();
    await acceptInvite({ inviteToken, password: 'a fine passphrase', ip: IP }, deps);
    await expect(invite()).rejects.toThrow(ConflictError);
  });

  it.each([
    [{ email: 'nope' }, 'email'],
    [{ name: '' }, 'name'],
    [{ role: 'owner' }, 'role'],
  ])('rejects %j', async (change, path) => {
    const error = await invite(change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([path]);
  });
});

describe('acceptInvite', () => {
  it('sets the password, activates the user, signs them in and consumes the invite', async () => {
    const { inviteToken, user } = await invite({ role: 'admin' });
    const pair = await acceptInvite({ inviteToken, password: 'a fine passphrase', ip: IP }, deps);
    expect(await deps.accessTokens.verify(pair.access_token)).toMatchObject({
      tenantId: 'firm-a',
      userId: user.userId,
      role: 'admin',
    });
    expect(await deps.identities.getUser('firm-a', user.userId)).toMatchObject({
      status: 'active',
      passwordHash: 'fake$a fine passphrase',
    });
    expect(await deps.identities.activeAdminCount('firm-a')).toBe(2);
    expect(deps.audit.actions()).toEqual(['user.invited', 'user.invite_accepted']);
    await expect(
      login({ email: 'dee@firm-a.example', password: 'a fine passphrase', ip: IP }, deps),
    ).resolves.toBeDefined();
  });

  it('works once', async () => {
    const { inviteToken } = await invite();
    await acceptInvite({ inviteToken, password: 'a fine passphrase', ip: IP }, deps);
    const again = acceptInvite({ inviteToken, password: 'another passphrase', ip: IP }, deps);
    await expect(again).rejects.toThrow(NotFoundError);
    await expect(again).rejects.toThrow(INVALID_INVITE);
  });

  it('refuses an unknown token', async () => {
    await expect(
      acceptInvite({ inviteToken: 'c'.repeat(64), password: 'a fine passphrase', ip: IP }, deps),
    ).rejects.toThrow(INVALID_INVITE);
    expect(deps.passwords.calls).toEqual([]);
  });

  it('refuses an expired invite, without hashing the password', async () => {
    const { inviteToken } = await invite();
    deps.clock.advance(7 * 86_400_000);
    await expect(acceptInvite({ inviteToken, password: 'a fine passphrase', ip: IP }, deps)).rejects.toThrow(
      INVALID_INVITE,
    );
    expect(deps.passwords.calls).toEqual([]);
  });

  it('refuses an invite withdrawn by deactivating the user', async () => {
    const { inviteToken, user } = await invite();
    await deps.identities.updateUser(
      'firm-a',
      user.userId,
      { role: 'advisor', status: 'invited' },
      { status: 'deactivated', updatedAt: new Date(deps.clock.now()).toISOString() },
    );
    await expect(acceptInvite({ inviteToken, password: 'a fine passphrase', ip: IP }, deps)).rejects.toThrow(
      INVALID_INVITE,
    );
  });

  it('applies the password policy and the token format', async () => {
    const { inviteToken } = await invite();
    const error = await acceptInvite({ inviteToken, password: 'short', ip: IP }, deps).catch(
      (e: unknown) => e,
    );
    expect((error as ValidationError).issues).toEqual([
      { path: 'password', message: 'must be at least 12 characters' },
    ]);
    const bad = await acceptInvite({ inviteToken: 'xyz', password: 'a fine passphrase', ip: IP }, deps).catch(
      (e: unknown) => e,
    );
    expect((bad as ValidationError).issues.map((i) => i.path)).toEqual(['inviteToken']);
  });
});
