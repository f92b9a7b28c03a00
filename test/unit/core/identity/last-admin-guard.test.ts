import { describe, expect, it } from 'vitest';
import { LastAdminError } from '../../../../functions/core/identity/errors';
import { assertKeepsAnAdmin } from '../../../../functions/core/identity/last-admin-guard';
import { aUser } from '../../../fakes/identity-deps';

/** The guard alone, before any write: the store's own atomic check is not what these tests see. */
function counting(admins: number) {
  const asked: string[] = [];
  return {
    asked,
    identities: {
      activeAdminCount: async (tenantId: string) => {
        asked.push(tenantId);
        return admins;
      },
    },
  };
}
const admin = aUser({ tenantId: 'firm-a', userId: 'u-admin', role: 'admin' });

describe('assertKeepsAnAdmin', () => {
  it('refuses to demote or deactivate the last active admin, counting that firm’s admins', async () => {
    for (const after of [
      { role: 'advisor' as const, status: 'active' as const },
      { role: 'admin' as const, status: 'deactivated' as const },
    ]) {
      const { asked, identities } = counting(1);
      await expect(assertKeepsAnAdmin(identities, admin, after)).rejects.toBeInstanceOf(LastAdminError);
      expect(asked).toEqual(['firm-a']);
    }
    await expect(
      assertKeepsAnAdmin(counting(0).identities, admin, { role: 'advisor', status: 'active' }),
    ).rejects.toBeInstanceOf(LastAdminError);
  });

  it('lets an admin go when another remains, and never counts for a change that keeps an admin', async () => {
    await expect(
      assertKeepsAnAdmin(counting(2).identities, admin, { role: 'advisor', status: 'active' }),
    ).resolves.toBeUndefined();
    const kept = counting(1);
    await assertKeepsAnAdmin(kept.identities, admin, { role: 'admin', status: 'active' });
    const notAdmin = aUser({ tenantId: 'firm-a', userId: 'u-adv' });
    await assertKeepsAnAdmin(kept.identities, notAdmin, { role: 'compliance', status: 'active' });
    expect(kept.asked).toEqual([]);
  });
});
