import { beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../../../functions/core/identity/login';
import { logout } from '../../../../functions/core/identity/logout';
import { refresh } from '../../../../functions/core/identity/refresh';
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

describe('logout', () => {
  it('revokes the session’s family, so neither the token nor its descendants refresh again', async () => {
    const next = await refresh({ refreshToken: session.refresh_token, ip: IP }, deps);
    deps.audit.entries.length = 0;
    await logout({ refreshToken: next.refresh_token, ip: IP }, deps);
    await expect(refresh({ refreshToken: next.refresh_token, ip: IP }, deps)).rejects.toThrow(
      UnauthorizedError,
    );
    const record = await deps.refreshTokens.find(next.refresh_token);
    expect(deps.audit.entries).toEqual([
      {
        tenantId: 'firm-a',
        entry: {
          action: 'auth.logged_out',
          outcome: 'success',
          actor: { userId: 'u-adv', role: 'advisor' },
          target: { type: 'token_family', id: record?.familyId },
          ip: IP,
          details: {},
        },
      },
    ]);
  });

  it('ends the session even when an older (retired) token of it is presented', async () => {
    const next = await refresh({ refreshToken: session.refresh_token, ip: IP }, deps);
    await logout({ refreshToken: session.refresh_token, ip: IP }, deps);
    await expect(refresh({ refreshToken: next.refresh_token, ip: IP }, deps)).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it('is silent and idempotent for unknown, malformed or already revoked tokens', async () => {
    await logout({ refreshToken: session.refresh_token, ip: IP }, deps);
    deps.audit.entries.length = 0;
    await expect(logout({ refreshToken: session.refresh_token, ip: IP }, deps)).resolves.toBeUndefined();
    await expect(logout({ refreshToken: 'e'.repeat(64), ip: IP }, deps)).resolves.toBeUndefined();
    await expect(logout({ refreshToken: 'junk', ip: IP }, deps)).resolves.toBeUndefined();
    expect(deps.audit.entries).toEqual([]);
  });

  it('leaves the user’s other sessions alone', async () => {
    const other = await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps);
    await logout({ refreshToken: session.refresh_token, ip: IP }, deps);
    await expect(refresh({ refreshToken: other.refresh_token, ip: IP }, deps)).resolves.toBeDefined();
  });
});
