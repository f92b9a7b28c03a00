import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenDigest } from '../../functions/adapters/store/keys/token-digest';
import type { Principal } from '../../functions/contracts/principal';
import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import { acceptInvite } from '../../functions/core/identity/accept-invite';
import { changeRole } from '../../functions/core/identity/change-role';
import { LastAdminError } from '../../functions/core/identity/errors';
import { inviteUser } from '../../functions/core/identity/invite-user';
import { login } from '../../functions/core/identity/login';
import { register } from '../../functions/core/identity/register';
import type { User } from '../../functions/core/identity/user';
import { ConflictError, InvalidCursorError, NotFoundError } from '../../functions/platform/errors';
import { aFirm, aUser } from '../fakes/identity-deps';
import { type IdentityTable, itemText, startIdentityTable } from '../support/identity-table';

const TEST_AUDIT: AuditEntry = { action: 'test.changed', outcome: 'success', ip: 'test', details: {} };

const IP = '203.0.113.9';
const PASSWORD = 'a perfectly long passphrase';
let table: IdentityTable;

beforeAll(async () => {
  table = await startIdentityTable('identity-store-test');
});

afterAll(async () => {
  await table?.stop();
});

const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

async function registerFirm(email = `${unique('owner')}@harbor.example`) {
  const deps = table.deps();
  const pair = await register(
    { firmName: 'Harbor Wealth', name: 'Ann Lee', email, password: PASSWORD, ip: IP },
    deps,
  );
  const principal: Principal = await deps.accessTokens.verify(pair.access_token);
  return {
    deps,
    pair,
    admin: { tenantId: principal.tenantId, userId: principal.userId, role: principal.role },
  };
}

describe('identity store against DynamoDB Local', () => {
  it('registers a firm, its admin and the login entry, and reads them back', async () => {
    const email = `${unique('ann')}@harbor.example`;
    const { admin } = await registerFirm(email);
    const { identities } = table;
    expect(await identities.getFirm(admin.tenantId)).toMatchObject({
      tenantId: admin.tenantId,
      name: 'Harbor Wealth',
    });
    expect(await identities.getUser(admin.tenantId, admin.userId)).toMatchObject({
      email,
      name: 'Ann Lee',
      role: 'admin',
      status: 'active',
      passwordHash: expect.stringMatching(/^scrypt\$ln=14,r=8,p=1\$/),
    });
    expect(await identities.findLogin(email)).toEqual({ tenantId: admin.tenantId, userId: admin.userId });
    expect(await identities.activeAdminCount(admin.tenantId)).toBe(1);
    expect(await identities.standing(admin.tenantId, admin.userId)).toEqual({
      status: 'active',
      role: 'admin',
      tokensNotBefore: 0,
    });
  });

  it('refuses a second registration of an email in another case, writing nothing of it', async () => {
    const email = `${unique('dup')}@harbor.example`;
    await registerFirm(email);
    const before = (await table.scan()).length;
    const again = registerFirm(email.toUpperCase());
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow('A user with this email already exists.');
    expect((await table.scan()).length).toBe(before);
  });

  it('lets exactly one of concurrent registrations of one email succeed', async () => {
    const email = `${unique('race')}@harbor.example`;
    const before = (await table.scan()).length;
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => registerFirm(email)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    // One firm, one user, one login entry, its audit event, one token family and one token: nothing of the losers.
    expect((await table.scan()).length).toBe(before + 6);
  });

  it('signs in against the stored scrypt hash', async () => {
    const email = `${unique('login')}@harbor.example`;
    const { deps } = await registerFirm(email);
    await expect(
      login({ email: email.toUpperCase(), password: PASSWORD, ip: IP }, deps),
    ).resolves.toMatchObject({
      token_type: 'bearer',
    });
  });

  it('answers another firm’s user, or another entity’s key, as missing', async () => {
    const a = await registerFirm();
    const b = await registerFirm();
    expect(await table.identities.getUser(b.admin.tenantId, a.admin.userId)).toBeUndefined();
    expect(await table.identities.standing(b.admin.tenantId, a.admin.userId)).toBeUndefined();
    expect(await table.identities.getFirm('no-such-firm')).toBeUndefined();
  });

  it('applies an update only while the user is as expected', async () => {
    const { admin } = await registerFirm();
    const stale = table.identities.updateUser(
      admin.tenantId,
      admin.userId,
      { role: 'advisor', status: 'active' },
      { name: 'Changed', updatedAt: new Date().toISOString() },
    );
    await expect(stale).rejects.toThrow(ConflictError);
    await expect(stale).rejects.not.toBeInstanceOf(LastAdminError);
    await table.identities.updateUser(
      admin.tenantId,
      admin.userId,
      { role: 'admin', status: 'active' },
      { name: 'Ann Lee-Park', tokensNotBefore: 1234, updatedAt: new Date().toISOString() },
    );
    expect(await table.identities.getUser(admin.tenantId, admin.userId)).toMatchObject({
      name: 'Ann Lee-Park',
      tokensNotBefore: 1234,
    });
  });

  it('never lets two admins demoting each other at once leave the firm without an admin', async () => {
    const { deps, admin } = await registerFirm();
    const second: User = aUser({ tenantId: admin.tenantId, userId: unique('admin2'), role: 'admin' });
    second.email = `${second.userId}@harbor.example`;
    await table.identities.createInvitedUser(
      { ...second, status: 'invited', passwordHash: undefined },
      {
        token: randomBytes(32).toString('hex'),
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      },
      TEST_AUDIT,
    );
    await table.identities.updateUser(
      admin.tenantId,
      second.userId,
      { role: 'admin', status: 'invited' },
      { status: 'active', updatedAt: new Date().toISOString() },
    );
    expect(await table.identities.activeAdminCount(admin.tenantId)).toBe(2);

    const other: Principal = { ...admin, userId: second.userId };
    const results = await Promise.allSettled([
      changeRole({ userId: second.userId, role: 'advisor', actor: admin, ip: IP }, deps),
      changeRole({ userId: admin.userId, role: 'advisor', actor: other, ip: IP }, deps),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConflictError);
    expect(await table.identities.activeAdminCount(admin.tenantId)).toBe(1);
    const users = (await table.identities.listUsers(admin.tenantId, { limit: 10 })).items;
    expect(users.filter((u) => u.role === 'admin' && u.status === 'active')).toHaveLength(1);
  });

  it('refuses to take the last admin away in the store itself (LastAdminError)', async () => {
    const { admin } = await registerFirm();
    await expect(
      table.identities.updateUser(
        admin.tenantId,
        admin.userId,
        { role: 'admin', status: 'active' },
        { role: 'advisor', updatedAt: new Date().toISOString() },
      ),
    ).rejects.toThrow(LastAdminError);
    expect((await table.identities.getUser(admin.tenantId, admin.userId))?.role).toBe('admin');
  });

  it('consumes an invite exactly once, even when accepted concurrently', async () => {
    const { deps, admin } = await registerFirm();
    const { inviteToken, user } = await inviteUser(
      { email: `${unique('dee')}@harbor.example`, name: 'Dee Park', role: 'admin', actor: admin, ip: IP },
      deps,
    );
    const results = await Promise.allSettled([
      acceptInvite({ inviteToken, password: 'first passphrase!', ip: IP }, deps),
      acceptInvite({ inviteToken, password: 'second passphrase', ip: IP }, deps),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(NotFoundError);
    expect(await table.identities.findInvite(inviteToken)).toBeUndefined();
    expect((await table.identities.getUser(admin.tenantId, user.userId))?.status).toBe('active');
    expect(await table.identities.activeAdminCount(admin.tenantId)).toBe(2);
    await expect(acceptInvite({ inviteToken, password: 'third passphrase!', ip: IP }, deps)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('refuses an expired invite in the store even if the caller thinks it is current', async () => {
    const { deps, admin } = await registerFirm();
    const { inviteToken, user } = await inviteUser(
      {
        email: `${unique('late')}@harbor.example`,
        name: 'Late Comer',
        role: 'advisor',
        actor: admin,
        ip: IP,
      },
      deps,
    );
    const invite = await table.identities.findInvite(inviteToken);
    if (!invite) throw new Error('invite missing');
    await expect(
      table.identities.acceptInvite(
        inviteToken,
        invite,
        { role: 'advisor', status: 'invited' },
        { status: 'active', passwordHash: 'x', updatedAt: new Date().toISOString() },
        invite.expiresAt,
        TEST_AUDIT,
      ),
    ).rejects.toThrow(NotFoundError);
    expect((await table.identities.getUser(admin.tenantId, user.userId))?.status).toBe('invited');
  });

  it('stores an invite under its token digest with the TTL attribute, and re-invites with a fresh token', async () => {
    const { deps, admin } = await registerFirm();
    const email = `${unique('again')}@harbor.example`;
    const first = await inviteUser({ email, name: 'Ed', role: 'advisor', actor: admin, ip: IP }, deps);
    const { Item } = await table.raw.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { pk: `G#INVITE#${tokenDigest(first.inviteToken)}`, sk: 'INVITE' },
      }),
    );
    expect(Item).toMatchObject({ entity: 'invite', tenantId: admin.tenantId, role: 'advisor' });
    expect(Item?.expires_at).toBe(Date.parse(first.expiresAt) / 1000);

    const second = await inviteUser({ email, name: 'Ed Wu', role: 'compliance', actor: admin, ip: IP }, deps);
    expect(second.user.userId).toBe(first.user.userId);
    expect(await table.identities.getUser(admin.tenantId, first.user.userId)).toMatchObject({
      name: 'Ed Wu',
      role: 'compliance',
      status: 'invited',
    });
    await acceptInvite({ inviteToken: second.inviteToken, password: PASSWORD, ip: IP }, deps);
    await expect(
      inviteUser({ email, name: 'Ed', role: 'advisor', actor: admin, ip: IP }, deps),
    ).rejects.toThrow(ConflictError);
  });

  it('shows a role change in the standing the authenticator reads', async () => {
    const { deps, admin } = await registerFirm();
    const { user, inviteToken } = await inviteUser(
      { email: `${unique('role')}@harbor.example`, name: 'Flo', role: 'advisor', actor: admin, ip: IP },
      deps,
    );
    await acceptInvite({ inviteToken, password: PASSWORD, ip: IP }, deps);
    deps.clock.advance(3_000);
    await changeRole({ userId: user.userId, role: 'compliance', actor: admin, ip: IP }, deps);
    expect(await table.identities.standing(admin.tenantId, user.userId)).toEqual({
      status: 'active',
      role: 'compliance',
      tokensNotBefore: Math.floor(deps.clock.now() / 1000),
    });
  });

  it('lists a firm’s users page by page without password hashes; a foreign cursor is refused', async () => {
    const { deps, admin } = await registerFirm();
    for (let i = 0; i < 4; i += 1) {
      await inviteUser(
        {
          email: `${unique('member')}@harbor.example`,
          name: `Member ${i}`,
          role: 'advisor',
          actor: admin,
          ip: IP,
        },
        deps,
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.identities.listUsers(admin.tenantId, {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      for (const user of page.items) {
        expect(user).not.toHaveProperty('passwordHash');
        expect(user.tenantId).toBe(admin.tenantId);
      }
      seen.push(...page.items.map((u) => u.userId));
      cursor = page.cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);

    const first = await table.identities.listUsers(admin.tenantId, { limit: 1 });
    const other = await registerFirm();
    await expect(
      table.identities.listUsers(other.admin.tenantId, {
        limit: 1,
        ...(first.cursor ? { cursor: first.cursor } : {}),
      }),
    ).rejects.toThrow(InvalidCursorError);
  });

  it('stores email and name only as ciphertext bound to the item', async () => {
    const email = `${unique('secret')}@harbor.example`;
    const { admin } = await registerFirm(email);
    const { Item } = await table.raw.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { pk: `T#${admin.tenantId}#USERS`, sk: `USER#${admin.userId}` },
      }),
    );
    expect(Item?.email).toBeInstanceOf(Uint8Array);
    expect(Item?.name).toBeInstanceOf(Uint8Array);
    expect(Item?.entity).toBe('user');
  });

  it('keeps no password, invite token or email in plaintext anywhere in the table', async () => {
    const email = `${unique('plain')}@harbor.example`;
    const { deps, admin } = await registerFirm(email);
    const inviteEmail = `${unique('invitee')}@harbor.example`;
    const { inviteToken } = await inviteUser(
      { email: inviteEmail, name: 'Ivy Invitee', role: 'advisor', actor: admin, ip: IP },
      deps,
    );
    const text = (await table.scan()).map(itemText).join('\n');
    for (const secret of [PASSWORD, inviteToken, email, inviteEmail, 'Ivy Invitee', 'Ann Lee']) {
      expect(text).not.toContain(secret);
    }
  });

  it('seeds through the same code paths the fakes mirror', async () => {
    // Guards the fakes: the shapes the unit tests seed are valid for the real store.
    const firm = aFirm(unique('seeded'));
    const user = aUser({ tenantId: firm.tenantId, userId: unique('u'), role: 'admin' });
    user.email = `${user.userId}@seeded.example`;
    await table.identities.registerFirm(firm, user, TEST_AUDIT);
    expect(await table.identities.getUser(firm.tenantId, user.userId)).toEqual(user);
  });
});
