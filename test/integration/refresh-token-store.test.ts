import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenDigest } from '../../functions/adapters/store/keys/token-digest';
import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import { acceptInvite } from '../../functions/core/identity/accept-invite';
import { deactivateUser } from '../../functions/core/identity/deactivate-user';
import { inviteUser } from '../../functions/core/identity/invite-user';
import { login } from '../../functions/core/identity/login';
import { logout } from '../../functions/core/identity/logout';
import { refresh } from '../../functions/core/identity/refresh';
import { register } from '../../functions/core/identity/register';
import { UnauthorizedError } from '../../functions/platform/errors';
import { type IdentityTable, itemText, startIdentityTable } from '../support/identity-table';

const TEST_AUDIT: AuditEntry = { action: 'test.changed', outcome: 'success', ip: 'test', details: {} };

const IP = '203.0.113.9';
const PASSWORD = 'a perfectly long passphrase';
let table: IdentityTable;

beforeAll(async () => {
  table = await startIdentityTable('refresh-token-test');
});

afterAll(async () => {
  await table?.stop();
});

const token = () => randomBytes(32).toString('hex');
const now = () => Math.floor(Date.now() / 1000);

function family() {
  return { tenantId: `firm-${randomUUID().slice(0, 8)}`, userId: randomUUID(), familyId: randomUUID() };
}

async function registered() {
  const deps = table.deps();
  const email = `${randomUUID().slice(0, 8)}@harbor.example`;
  const pair = await register(
    { firmName: 'Harbor', name: 'Ann Lee', email, password: PASSWORD, ip: IP },
    deps,
  );
  const admin = await deps.accessTokens.verify(pair.access_token);
  return { deps, pair, email, admin: { tenantId: admin.tenantId, userId: admin.userId, role: admin.role } };
}

describe('refresh-token store against DynamoDB Local', () => {
  it('starts a family and finds its token by the token alone', async () => {
    const ref = family();
    const first = { token: token(), issuedAt: now(), expiresAt: now() + 100 };
    await table.refreshTokens.startFamily(ref, first);
    expect(await table.refreshTokens.find(first.token)).toEqual({
      ...ref,
      status: 'active',
      familyStatus: 'active',
      issuedAt: first.issuedAt,
      expiresAt: first.expiresAt,
    });
    expect(await table.refreshTokens.find(token())).toBeUndefined();
  });

  it('lets exactly one of concurrent rotations of one token succeed', async () => {
    const ref = family();
    const current = token();
    await table.refreshTokens.startFamily(ref, { token: current, issuedAt: now(), expiresAt: now() + 100 });
    const successors = Array.from({ length: 5 }, () => ({
      token: token(),
      issuedAt: now(),
      expiresAt: now() + 200,
    }));
    const results = await Promise.all(
      successors.map((next) => table.refreshTokens.rotate(current, ref, next, TEST_AUDIT)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await table.refreshTokens.find(current))?.status).toBe('rotated');
    const stored = await Promise.all(successors.map((next) => table.refreshTokens.find(next.token)));
    expect(stored.filter((s) => s !== undefined)).toHaveLength(1);
  });

  it('answers two concurrent refreshes of one token with exactly one new pair', async () => {
    const { deps, pair } = await registered();
    const results = await Promise.allSettled([
      refresh({ refreshToken: pair.refresh_token, ip: IP }, deps),
      refresh({ refreshToken: pair.refresh_token, ip: IP }, deps),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('revokes the family when a rotated token is reused: its newest token stops working', async () => {
    const { deps, pair, admin } = await registered();
    const second = await refresh({ refreshToken: pair.refresh_token, ip: IP }, deps);
    const newest = await refresh({ refreshToken: second.refresh_token, ip: IP }, deps);

    await expect(refresh({ refreshToken: pair.refresh_token, ip: IP }, deps)).rejects.toThrow(
      UnauthorizedError,
    );
    expect((await table.refreshTokens.find(newest.refresh_token))?.familyStatus).toBe('revoked');
    await expect(refresh({ refreshToken: newest.refresh_token, ip: IP }, deps)).rejects.toThrow(
      UnauthorizedError,
    );
    expect(deps.audit.entries.filter((e) => e.entry.action === 'auth.token_family_revoked')).toEqual([
      expect.objectContaining({ tenantId: admin.tenantId }),
    ]);
  });

  it('refuses to rotate a token of a revoked family in the store itself', async () => {
    const ref = family();
    const current = token();
    await table.refreshTokens.startFamily(ref, { token: current, issuedAt: now(), expiresAt: now() + 100 });
    expect(await table.refreshTokens.revokeFamily(ref, { at: now(), reason: 'logout' }, TEST_AUDIT)).toBe(
      true,
    );
    expect(await table.refreshTokens.revokeFamily(ref, { at: now(), reason: 'logout' }, TEST_AUDIT)).toBe(
      false,
    );
    expect(
      await table.refreshTokens.rotate(
        current,
        ref,
        { token: token(), issuedAt: now(), expiresAt: now() + 1 },
        TEST_AUDIT,
      ),
    ).toBe(false);
    expect((await table.refreshTokens.find(current))?.status).toBe('active');
  });

  it('revokes every family of a user on deactivation, and leaves other users alone', async () => {
    const { deps, admin } = await registered();
    const { inviteToken } = await inviteUser(
      {
        email: `${randomUUID().slice(0, 8)}@harbor.example`,
        name: 'Bob',
        role: 'advisor',
        actor: admin,
        ip: IP,
      },
      deps,
    );
    const sessions = [await acceptInvite({ inviteToken, password: PASSWORD, ip: IP }, deps)];
    const bob = await deps.accessTokens.verify(sessions[0]?.access_token ?? '');
    const bobEmail = (await table.identities.getUser(bob.tenantId, bob.userId))?.email ?? '';
    sessions.push(await login({ email: bobEmail, password: PASSWORD, ip: IP }, deps));
    sessions.push(await login({ email: bobEmail, password: PASSWORD, ip: IP }, deps));
    const adminSession = await login(
      {
        email: (await table.identities.getUser(admin.tenantId, admin.userId))?.email ?? '',
        password: PASSWORD,
        ip: IP,
      },
      deps,
    );

    await deactivateUser({ userId: bob.userId, actor: admin, ip: IP }, deps);
    for (const session of sessions) {
      expect((await table.refreshTokens.find(session.refresh_token))?.familyStatus).toBe('revoked');
      await expect(refresh({ refreshToken: session.refresh_token, ip: IP }, deps)).rejects.toThrow(
        UnauthorizedError,
      );
    }
    expect(await table.identities.standing(bob.tenantId, bob.userId)).toMatchObject({
      status: 'deactivated',
    });
    expect(deps.audit.entries.at(-1)?.entry.details).toEqual({ reason: 'user_deactivated', families: 3 });
    await expect(refresh({ refreshToken: adminSession.refresh_token, ip: IP }, deps)).resolves.toBeDefined();
  });

  it('revokes the family on logout', async () => {
    const { deps, pair } = await registered();
    await logout({ refreshToken: pair.refresh_token, ip: IP }, deps);
    await expect(refresh({ refreshToken: pair.refresh_token, ip: IP }, deps)).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it('keeps no refresh token in plaintext, only its digest as the key', async () => {
    const { deps, pair } = await registered();
    const next = await refresh({ refreshToken: pair.refresh_token, ip: IP }, deps);
    const items = await table.scan();
    const text = items.map(itemText).join('\n');
    for (const secret of [pair.refresh_token, next.refresh_token, PASSWORD])
      expect(text).not.toContain(secret);
    expect(items.map((i) => i.pk)).toContain(`G#REFRESH#${tokenDigest(next.refresh_token)}`);
  });

  it('sets the TTL attribute on tokens and families', async () => {
    const ref = family();
    const first = { token: token(), issuedAt: now(), expiresAt: now() + 500 };
    await table.refreshTokens.startFamily(ref, first);
    const items = (await table.scan()).filter(
      (i) => i.tenantId === ref.tenantId || i.familyId === ref.familyId,
    );
    expect(items.map((i) => i.expires_at)).toEqual([first.expiresAt, first.expiresAt]);
  });
});
