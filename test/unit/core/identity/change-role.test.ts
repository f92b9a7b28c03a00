import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../../../functions/contracts/principal';
import { changeRole } from '../../../../functions/core/identity/change-role';
import { LastAdminError } from '../../../../functions/core/identity/errors';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../../functions/platform/errors';
import { aFirm, aUser, START, type TestIdentityDeps, testIdentityDeps } from '../../../fakes/identity-deps';

const IP = '198.51.100.4';
const admin: Principal = { tenantId: 'firm-a', userId: 'u-admin', role: 'admin' };
let deps: TestIdentityDeps;

beforeEach(() => {
  deps = testIdentityDeps();
  deps.identities.seedFirm(aFirm('firm-a'), [
    aUser({ tenantId: 'firm-a', userId: 'u-admin', role: 'admin' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv' }),
    aUser({ tenantId: 'firm-a', userId: 'u-asst', role: 'assistant', assignedAdvisorIds: ['u-adv'] }),
    aUser({ tenantId: 'firm-a', userId: 'u-gone', status: 'deactivated' }),
  ]);
  deps.identities.seedFirm(aFirm('firm-b'), [aUser({ tenantId: 'firm-b', userId: 'u-b', role: 'admin' })]);
});

const change = (userId: string, role: Role | string, actor = admin) =>
  changeRole({ userId, role: role as Role, actor, ip: IP }, deps);

describe('changeRole', () => {
  it('changes the role, stops the user’s current access tokens and audits from → to', async () => {
    deps.clock.advance(5_000);
    const user = await change('u-adv', 'compliance');
    expect(user.role).toBe('compliance');
    const stored = await deps.identities.getUser('firm-a', 'u-adv');
    expect(stored?.tokensNotBefore).toBe(Math.floor((START + 5_000) / 1000));
    expect(deps.audit.entries).toEqual([
      {
        tenantId: 'firm-a',
        entry: {
          action: 'user.role_changed',
          outcome: 'success',
          actor: { userId: 'u-admin', role: 'admin' },
          target: { type: 'user', id: 'u-adv' },
          ip: IP,
          details: { from: 'advisor', to: 'compliance' },
        },
      },
    ]);
  });

  it('promotes to admin and counts the new admin', async () => {
    await change('u-adv', 'admin');
    expect(await deps.identities.activeAdminCount('firm-a')).toBe(2);
    await change('u-admin', 'advisor', { ...admin, userId: 'u-adv' });
    expect(await deps.identities.activeAdminCount('firm-a')).toBe(1);
  });

  it('refuses to demote the firm’s last active admin, even themself', async () => {
    const error = await change('u-admin', 'advisor').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LastAdminError);
    expect(error).toBeInstanceOf(ConflictError);
    expect((await deps.identities.getUser('firm-a', 'u-admin'))?.role).toBe('admin');
    expect(deps.audit.entries).toEqual([]);
  });

  it('clears an assistant’s assignments when they stop being an assistant', async () => {
    expect((await change('u-asst', 'advisor')).assignedAdvisorIds).toEqual([]);
  });

  it('does nothing for the same role', async () => {
    await change('u-adv', 'advisor');
    expect(deps.audit.entries).toEqual([]);
    expect((await deps.identities.getUser('firm-a', 'u-adv'))?.tokensNotBefore).toBe(0);
  });

  it('refuses to change a deactivated user', async () => {
    await expect(change('u-gone', 'admin')).rejects.toThrow(ConflictError);
  });

  it('answers a user of another firm exactly like a missing one', async () => {
    const foreign = await change('u-b', 'advisor').catch((e: unknown) => e);
    const missing = await change('u-nobody', 'advisor').catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(foreign).toEqual(missing);
  });

  it('is for admins only', async () => {
    await expect(change('u-adv', 'admin', { ...admin, role: 'compliance' })).rejects.toThrow(ForbiddenError);
  });

  it('rejects an unknown role and a malformed id', async () => {
    await expect(change('u-adv', 'owner')).rejects.toThrow(ValidationError);
    await expect(change('T#x#USER', 'advisor')).rejects.toThrow(ValidationError);
  });
});
