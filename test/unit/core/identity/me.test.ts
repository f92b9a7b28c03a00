import { describe, expect, it } from 'vitest';
import { me } from '../../../../functions/core/identity/me';
import { NotFoundError } from '../../../../functions/platform/errors';
import { aFirm, aUser, testIdentityDeps } from '../../../fakes/identity-deps';

describe('me', () => {
  it('returns the caller and their firm, without the password hash', async () => {
    const deps = testIdentityDeps();
    deps.identities.seedFirm(aFirm('firm-a'), [
      aUser({ tenantId: 'firm-a', userId: 'u-1', role: 'compliance' }),
    ]);
    const result = await me({ actor: { tenantId: 'firm-a', userId: 'u-1', role: 'compliance' } }, deps);
    expect(result.firm).toEqual(aFirm('firm-a'));
    expect(result.user).toMatchObject({ userId: 'u-1', role: 'compliance', email: 'u-1@example.com' });
    expect(result.user).not.toHaveProperty('passwordHash');
    expect(result.user).not.toHaveProperty('tokensNotBefore');
  });

  it('answers NotFoundError for a principal whose user does not exist in that firm', async () => {
    const deps = testIdentityDeps();
    deps.identities.seedFirm(aFirm('firm-a'), [aUser({ tenantId: 'firm-a', userId: 'u-1' })]);
    deps.identities.seedFirm(aFirm('firm-b'), []);
    await expect(me({ actor: { tenantId: 'firm-b', userId: 'u-1', role: 'advisor' } }, deps)).rejects.toThrow(
      NotFoundError,
    );
  });
});
