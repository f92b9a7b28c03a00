import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import { listUsers } from '../../../../functions/core/identity/list-users';
import { ForbiddenError, InvalidCursorError, ValidationError } from '../../../../functions/platform/errors';
import { aFirm, aUser, type TestIdentityDeps, testIdentityDeps } from '../../../fakes/identity-deps';

const admin: Principal = { tenantId: 'firm-a', userId: 'u-0', role: 'admin' };
let deps: TestIdentityDeps;

beforeEach(() => {
  deps = testIdentityDeps();
  deps.identities.seedFirm(
    aFirm('firm-a'),
    Array.from({ length: 5 }, (_, i) =>
      aUser({ tenantId: 'firm-a', userId: `u-${i}`, role: i === 0 ? 'admin' : 'advisor' }),
    ),
  );
  deps.identities.seedFirm(aFirm('firm-b'), [aUser({ tenantId: 'firm-b', userId: 'u-b', role: 'admin' })]);
});

describe('listUsers', () => {
  it('pages through the firm’s users only, without password hashes', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUsers({ actor: admin, limit: 2, ...(cursor ? { cursor } : {}) }, deps);
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const user of page.items) expect(user).not.toHaveProperty('passwordHash');
      seen.push(...page.items.map((u) => u.userId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['u-0', 'u-1', 'u-2', 'u-3', 'u-4']);
  });

  it('defaults to 50 per page', async () => {
    expect((await listUsers({ actor: admin }, deps)).items).toHaveLength(5);
  });

  it('refuses another firm’s cursor', async () => {
    const page = await listUsers({ actor: admin, limit: 1 }, deps);
    const other: Principal = { tenantId: 'firm-b', userId: 'u-b', role: 'admin' };
    await expect(listUsers({ actor: other, limit: 1, cursor: page.cursor }, deps)).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('is for admins only', async () => {
    await expect(listUsers({ actor: { ...admin, role: 'compliance' } }, deps)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it.each([0, 101, 1.5])('rejects limit %s', async (limit) => {
    await expect(listUsers({ actor: admin, limit }, deps)).rejects.toThrow(ValidationError);
  });
});
