import { describe, expect, it } from 'vitest';
import { register } from '../../../../functions/core/identity/register';
import { ConflictError, ValidationError } from '../../../../functions/platform/errors';
import { testIdentityDeps } from '../../../fakes/identity-deps';

const input = {
  firmName: 'Harbor Wealth',
  name: 'Ann Lee',
  email: ' Ann.Lee@Harbor.example ',
  password: 'a long enough passphrase',
  ip: '203.0.113.7',
};

describe('register', () => {
  it('creates a firm and its active admin and returns a token pair for them', async () => {
    const deps = testIdentityDeps();
    const pair = await register(input, deps);

    expect(pair).toMatchObject({ token_type: 'bearer', expires_in: 900 });
    expect(pair.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    const claims = await deps.accessTokens.verify(pair.access_token);
    expect(claims.role).toBe('admin');

    const firm = await deps.identities.getFirm(claims.tenantId);
    expect(firm?.name).toBe('Harbor Wealth');
    const user = await deps.identities.getUser(claims.tenantId, claims.userId);
    expect(user).toMatchObject({
      email: 'ann.lee@harbor.example',
      name: 'Ann Lee',
      role: 'admin',
      status: 'active',
      passwordHash: 'fake$a long enough passphrase',
    });
    expect(await deps.identities.activeAdminCount(claims.tenantId)).toBe(1);
    expect(await deps.refreshTokens.find(pair.refresh_token)).toMatchObject({
      tenantId: claims.tenantId,
      userId: claims.userId,
      status: 'active',
      familyStatus: 'active',
    });
  });

  it('audits the registration on the new firm’s chain', async () => {
    const deps = testIdentityDeps();
    const pair = await register(input, deps);
    const { tenantId, userId } = await deps.accessTokens.verify(pair.access_token);
    expect(deps.audit.entries).toEqual([
      {
        tenantId,
        entry: {
          action: 'firm.registered',
          outcome: 'success',
          actor: { userId, role: 'admin' },
          target: { type: 'firm', id: tenantId },
          ip: '203.0.113.7',
          details: {},
        },
      },
    ]);
  });

  it('refuses an email already registered, whatever its case, without naming the firm', async () => {
    const deps = testIdentityDeps();
    await register(input, deps);
    const again = register({ ...input, firmName: 'Other', email: 'ANN.LEE@harbor.EXAMPLE' }, deps);
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow('A user with this email already exists.');
    expect(deps.identities.firms.size).toBe(1);
  });

  it.each([
    ['a short password', { password: 'too short' }, 'password', 'must be at least 12 characters'],
    ['a bad email', { email: 'ann-at-harbor' }, 'email', 'must be an email address such as ann@example.com'],
    ['an empty firm name', { firmName: '   ' }, 'firmName', 'is required'],
    ['an empty name', { name: '' }, 'name', 'is required'],
  ])('rejects %s field by field and stores nothing', async (_label, change, path, message) => {
    const deps = testIdentityDeps();
    const error = await register({ ...input, ...change }, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path, message }]);
    expect(deps.identities.firms.size).toBe(0);
    expect(deps.passwords.calls).toEqual([]);
  });
});
