import { beforeEach, describe, expect, it } from 'vitest';
import { emailDigest } from '../../../../functions/core/identity/email';
import { INVALID_CREDENTIALS, login } from '../../../../functions/core/identity/login';
import { UnauthorizedError, ValidationError } from '../../../../functions/platform/errors';
import { aFirm, aUser, type TestIdentityDeps, testIdentityDeps } from '../../../fakes/identity-deps';

const IP = '198.51.100.4';
let deps: TestIdentityDeps;

beforeEach(() => {
  deps = testIdentityDeps();
  deps.identities.seedFirm(aFirm('firm-a'), [
    aUser({ tenantId: 'firm-a', userId: 'u-admin', role: 'admin', email: 'ann@firm-a.example' }),
    aUser({ tenantId: 'firm-a', userId: 'u-adv', email: 'bob@firm-a.example' }),
    aUser({ tenantId: 'firm-a', userId: 'u-gone', status: 'deactivated', email: 'gone@firm-a.example' }),
    aUser({
      tenantId: 'firm-a',
      userId: 'u-new',
      status: 'invited',
      passwordHash: undefined,
      email: 'new@firm-a.example',
    }),
  ]);
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('login', () => {
  it('signs in with the right password (email in any case) and starts a session', async () => {
    const pair = await login({ email: ' BOB@Firm-A.example', password: 'password-of-u-adv', ip: IP }, deps);
    const claims = await deps.accessTokens.verify(pair.access_token);
    expect(claims).toMatchObject({ tenantId: 'firm-a', userId: 'u-adv', role: 'advisor' });
    expect(await deps.refreshTokens.find(pair.refresh_token)).toMatchObject({ status: 'active' });
    expect(deps.audit.entries).toEqual([
      {
        tenantId: 'firm-a',
        entry: {
          action: 'auth.login_succeeded',
          outcome: 'success',
          actor: { userId: 'u-adv', role: 'advisor' },
          target: { type: 'user', id: 'u-adv' },
          ip: IP,
          details: {},
        },
      },
    ]);
  });

  it('gives each sign-in its own token family', async () => {
    const a = await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps);
    const b = await login({ email: 'bob@firm-a.example', password: 'password-of-u-adv', ip: IP }, deps);
    const [fa, fb] = await Promise.all([
      deps.refreshTokens.find(a.refresh_token),
      deps.refreshTokens.find(b.refresh_token),
    ]);
    expect(fa?.familyId).not.toBe(fb?.familyId);
  });

  it('answers an unknown email exactly like a wrong password, after a dummy verification', async () => {
    const unknown = await failure(
      login({ email: 'nobody@firm-a.example', password: 'whatever it is', ip: IP }, deps),
    );
    const wrong = await failure(
      login({ email: 'bob@firm-a.example', password: 'whatever it is', ip: IP }, deps),
    );
    for (const error of [unknown, wrong]) {
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).message).toBe(INVALID_CREDENTIALS);
      expect((error as UnauthorizedError).issues).toEqual([]);
    }
    expect(deps.passwords.calls).toEqual(['dummyVerify', 'verify']);
  });

  it('audits an unknown email on the system chain with a digest, never the address', async () => {
    await failure(login({ email: 'Nobody@Firm-A.example', password: 'whatever it is', ip: IP }, deps));
    expect(deps.audit.entries).toEqual([
      {
        tenantId: null,
        entry: {
          action: 'auth.login_failed',
          outcome: 'failure',
          ip: IP,
          details: { reason: 'unknown_email', emailSha256: emailDigest('nobody@firm-a.example') },
        },
      },
    ]);
    expect(JSON.stringify(deps.audit.entries)).not.toContain('nobody');
  });

  it('audits a wrong password on the firm’s chain, against the user', async () => {
    await failure(login({ email: 'bob@firm-a.example', password: 'not the password', ip: IP }, deps));
    expect(deps.audit.entries).toEqual([
      {
        tenantId: 'firm-a',
        entry: {
          action: 'auth.login_failed',
          outcome: 'failure',
          target: { type: 'user', id: 'u-adv' },
          ip: IP,
          details: { reason: 'wrong_password' },
        },
      },
    ]);
  });

  it('refuses a deactivated user even with the right password, with the same answer', async () => {
    const error = await failure(
      login({ email: 'gone@firm-a.example', password: 'password-of-u-gone', ip: IP }, deps),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).toBe(INVALID_CREDENTIALS);
    expect(deps.passwords.calls).toEqual(['verify']);
    expect(deps.audit.entries[0]?.entry.details).toEqual({ reason: 'user_not_active' });
    expect(deps.refreshTokens.tokens.size).toBe(0);
  });

  it('refuses an invited user (no password yet) after a dummy verification', async () => {
    const error = await failure(
      login({ email: 'new@firm-a.example', password: 'anything at all', ip: IP }, deps),
    );
    expect((error as Error).message).toBe(INVALID_CREDENTIALS);
    expect(deps.passwords.calls).toEqual(['dummyVerify']);
    expect(deps.audit.entries[0]).toMatchObject({
      tenantId: 'firm-a',
      entry: { details: { reason: 'user_not_active' } },
    });
  });

  it('treats a malformed email as unknown rather than as a validation error', async () => {
    const error = await failure(login({ email: 'not-an-email', password: 'anything at all', ip: IP }, deps));
    expect(error).toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a missing password as invalid input', async () => {
    const error = await failure(login({ email: 'bob@firm-a.example', password: '', ip: IP }, deps));
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('upgrades a hash made with weaker parameters on a successful sign-in', async () => {
    await deps.identities.updateUser(
      'firm-a',
      'u-adv',
      { role: 'advisor', status: 'active' },
      { passwordHash: 'old$legacy password!', updatedAt: new Date(deps.clock.now()).toISOString() },
    );
    await login({ email: 'bob@firm-a.example', password: 'legacy password!', ip: IP }, deps);
    expect((await deps.identities.getUser('firm-a', 'u-adv'))?.passwordHash).toBe('fake$legacy password!');
  });
});
