import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import { assignAssistant } from '../../../../functions/core/identity/assign-assistant';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../../functions/platform/errors';
import { aFirm, aUser, type TestIdentityDeps, testIdentityDeps } from '../../../fakes/identity-deps';

const IP = '198.51.100.4';
const admin: Principal = { tenantId: 'firm-a', userId: 'u-admin', role: 'admin' };
let deps: TestIdentityDeps;

beforeEach(() => {
  deps = testIdentityDeps();
  deps.identities.seedFirm(aFirm('firm-a'), [
    aUser({ tenantId: 'firm-a', userId: 'u-admin', role: 'admin' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv1' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv2' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv-gone', status: 'deactivated' }),
    aUser({ tenantId: 'firm-a', userId: 'u-comp', role: 'compliance' }),
    aUser({ tenantId: 'firm-a', userId: 'u-asst', role: 'assistant' }),
  ]);
  deps.identities.seedFirm(aFirm('firm-b'), [aUser({ tenantId: 'firm-b', userId: 'u-b-adv' })]);
});

const assign = (assistantId: string, advisorIds: string[], actor = admin) =>
  assignAssistant({ assistantId, advisorIds, actor, ip: IP }, deps);
const issues = (promise: Promise<unknown>) =>
  promise.then(
    () => [],
    (error: unknown) => {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues;
    },
  );

describe('assignAssistant', () => {
  it('sets the advisors an assistant acts for (deduplicated) and audits it', async () => {
    const user = await assign('u-asst', ['u-adv1', 'u-adv2', 'u-adv1']);
    expect(user.assignedAdvisorIds).toEqual(['u-adv1', 'u-adv2']);
    expect((await deps.identities.getUser('firm-a', 'u-asst'))?.assignedAdvisorIds).toEqual([
      'u-adv1',
      'u-adv2',
    ]);
    expect(deps.audit.entries[0]).toEqual({
      tenantId: 'firm-a',
      entry: {
        action: 'user.assistant_assigned',
        outcome: 'success',
        actor: { userId: 'u-admin', role: 'admin' },
        target: { type: 'user', id: 'u-asst' },
        ip: IP,
        details: { advisorIds: 'u-adv1,u-adv2', advisors: 2 },
      },
    });
  });

  it('replaces the previous set; an empty set unassigns', async () => {
    await assign('u-asst', ['u-adv1']);
    expect((await assign('u-asst', ['u-adv2'])).assignedAdvisorIds).toEqual(['u-adv2']);
    expect((await assign('u-asst', [])).assignedAdvisorIds).toEqual([]);
  });

  it('refuses a non-advisor in the set, naming the entry', async () => {
    expect(await issues(assign('u-asst', ['u-adv1', 'u-comp']))).toEqual([
      { path: 'advisorIds.1', message: 'must be an advisor' },
    ]);
  });

  it('refuses a deactivated advisor', async () => {
    expect(await issues(assign('u-asst', ['u-adv-gone']))).toEqual([
      { path: 'advisorIds.0', message: 'is deactivated' },
    ]);
  });

  it('refuses to assign to someone who is not an assistant', async () => {
    expect(await issues(assign('u-adv2', ['u-adv1']))).toEqual([
      { path: 'assistantId', message: 'must be an assistant' },
    ]);
  });

  it('answers an advisor of another firm exactly like a missing one', async () => {
    const foreign = await assign('u-asst', ['u-b-adv']).catch((e: unknown) => e);
    const missing = await assign('u-asst', ['u-nobody']).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(foreign).toEqual(missing);
    expect((await deps.identities.getUser('firm-a', 'u-asst'))?.assignedAdvisorIds).toEqual([]);
  });

  it('answers an unknown assistant with NotFoundError', async () => {
    await expect(assign('u-nobody', ['u-adv1'])).rejects.toThrow(NotFoundError);
  });

  it('is for admins only', async () => {
    await expect(assign('u-asst', ['u-adv1'], { ...admin, role: 'advisor' })).rejects.toThrow(ForbiddenError);
  });

  it('caps the set at 50 advisors', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `u-${i}`);
    expect((await issues(assign('u-asst', ids)))[0]?.path).toBe('advisorIds');
  });
});
