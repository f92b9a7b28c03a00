import type { Page, PageRequest } from '../../functions/contracts/page';
import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import { LastAdminError } from '../../functions/core/identity/errors';
import type { Firm } from '../../functions/core/identity/firm';
import type {
  IdentityDeps,
  IdentityStore,
  InviteRecord,
  LoginEntry,
  NewInvite,
  NewRefreshToken,
  PasswordHasher,
  RefreshTokenRecord,
  RefreshTokenStore,
  Revocation,
  TokenFamilyRef,
  UserChanges,
  UserExpectation,
} from '../../functions/core/identity/ports';
import { isActiveAdmin, type PublicUser, toPublicUser, type User } from '../../functions/core/identity/user';
import { createAccessTokens } from '../../functions/platform/crypto/access-token';
import { ConflictError, InvalidCursorError, NotFoundError } from '../../functions/platform/errors';

/**
 * In-memory versions of the identity ports with the same rules as the DynamoDB stores (conditional writes,
 * the active-admin counter, single-use invites, family revocation), for use-case tests without a table.
 */
export class InMemoryIdentityStore implements IdentityStore {
  readonly firms = new Map<string, { firm: Firm; activeAdmins: number }>();
  readonly users = new Map<string, User>();
  readonly logins = new Map<string, LoginEntry>();
  readonly invites = new Map<string, InviteRecord>();

  /** `audit`: where an audited change's event goes, only once the change is made (as the table's transaction). */
  constructor(private readonly audit: RecordingAuditLog = new RecordingAuditLog()) {}

  async registerFirm(firm: Firm, admin: User, audit: AuditEntry): Promise<void> {
    if (this.logins.has(admin.email)) throw new ConflictError('A user with this email already exists.');
    this.firms.set(firm.tenantId, { firm, activeAdmins: isActiveAdmin(admin) ? 1 : 0 });
    this.putUser(admin);
    await this.audit.append(firm.tenantId, audit);
  }

  async createInvitedUser(user: User, invite: NewInvite, audit: AuditEntry): Promise<void> {
    if (this.logins.has(user.email)) throw new ConflictError('A user with this email already exists.');
    this.putUser(user);
    this.invites.set(invite.token, {
      tenantId: user.tenantId,
      userId: user.userId,
      role: user.role,
      expiresAt: invite.expiresAt,
    });
    await this.audit.append(user.tenantId, audit);
  }

  async reissueInvite(
    tenantId: string,
    userId: string,
    expected: UserExpectation,
    changes: UserChanges,
    invite: NewInvite,
    audit: AuditEntry,
  ): Promise<void> {
    this.apply(tenantId, userId, expected, changes);
    this.invites.set(invite.token, {
      tenantId,
      userId,
      role: changes.role ?? expected.role,
      expiresAt: invite.expiresAt,
    });
    await this.audit.append(tenantId, audit);
  }

  async findLogin(email: string): Promise<LoginEntry | undefined> {
    return this.logins.get(email);
  }

  async getFirm(tenantId: string): Promise<Firm | undefined> {
    return this.firms.get(tenantId)?.firm;
  }

  async getUser(tenantId: string, userId: string): Promise<User | undefined> {
    const user = this.users.get(`${tenantId}/${userId}`);
    return user && structuredClone(user);
  }

  async listUsers(tenantId: string, page: PageRequest): Promise<Page<PublicUser>> {
    let offset = 0;
    if (page.cursor !== undefined) {
      const [owner, at] = page.cursor.split(':');
      if (owner !== tenantId || !/^\d+$/.test(at ?? '')) throw new InvalidCursorError();
      offset = Number(at);
    }
    const all = [...this.users.values()]
      .filter((u) => u.tenantId === tenantId)
      .sort((a, b) => a.userId.localeCompare(b.userId));
    const items = all.slice(offset, offset + page.limit).map(toPublicUser);
    const next = offset + page.limit;
    return { items, ...(next < all.length ? { cursor: `${tenantId}:${next}` } : {}) };
  }

  async activeAdminCount(tenantId: string): Promise<number> {
    return this.firms.get(tenantId)?.activeAdmins ?? 0;
  }

  async updateUser(
    tenantId: string,
    userId: string,
    expected: UserExpectation,
    changes: UserChanges,
    audit?: AuditEntry,
  ): Promise<void> {
    this.apply(tenantId, userId, expected, changes);
    if (audit) await this.audit.append(tenantId, audit);
  }

  async findInvite(token: string): Promise<InviteRecord | undefined> {
    return this.invites.get(token);
  }

  async acceptInvite(
    token: string,
    invite: InviteRecord,
    expected: UserExpectation,
    changes: UserChanges,
    nowSeconds: number,
    audit: AuditEntry,
  ): Promise<void> {
    const stored = this.invites.get(token);
    if (!stored || stored.expiresAt <= nowSeconds || stored.userId !== invite.userId) {
      throw new NotFoundError('The invite does not exist, has expired or was already used.');
    }
    try {
      this.apply(invite.tenantId, invite.userId, expected, changes);
    } catch {
      throw new NotFoundError('The invite does not exist, has expired or was already used.');
    }
    this.invites.delete(token);
    await this.audit.append(invite.tenantId, audit);
  }

  /** Seeds a firm directly (tests of admin use cases start from here). */
  seedFirm(firm: Firm, users: User[]): void {
    this.firms.set(firm.tenantId, { firm, activeAdmins: users.filter(isActiveAdmin).length });
    for (const user of users) this.putUser(user);
  }

  private putUser(user: User): void {
    this.users.set(`${user.tenantId}/${user.userId}`, structuredClone(user));
    this.logins.set(user.email, { tenantId: user.tenantId, userId: user.userId });
  }

  private apply(tenantId: string, userId: string, expected: UserExpectation, changes: UserChanges): void {
    const key = `${tenantId}/${userId}`;
    const user = this.users.get(key);
    if (!user || user.role !== expected.role || user.status !== expected.status) {
      throw new ConflictError('The user was changed by someone else at the same time. Reload and try again.');
    }
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const after = { ...user, ...defined } as User;
    const delta = Number(isActiveAdmin(after)) - Number(isActiveAdmin(user));
    const firm = this.firms.get(tenantId);
    if (delta < 0 && (firm?.activeAdmins ?? 0) <= 1) throw new LastAdminError();
    if (firm) firm.activeAdmins += delta;
    this.users.set(key, after);
  }
}

interface StoredToken extends TokenFamilyRef {
  status: 'active' | 'rotated';
  issuedAt: number;
  expiresAt: number;
}

export class InMemoryRefreshTokenStore implements RefreshTokenStore {
  readonly tokens = new Map<string, StoredToken>();
  readonly families = new Map<string, 'active' | 'revoked'>();

  constructor(private readonly audit: RecordingAuditLog = new RecordingAuditLog()) {}

  async startFamily(family: TokenFamilyRef, first: NewRefreshToken): Promise<void> {
    this.families.set(familyKey(family), 'active');
    this.tokens.set(first.token, {
      ...family,
      status: 'active',
      issuedAt: first.issuedAt,
      expiresAt: first.expiresAt,
    });
  }

  async find(token: string): Promise<RefreshTokenRecord | undefined> {
    const stored = this.tokens.get(token);
    if (!stored) return undefined;
    const family = this.families.get(familyKey(stored));
    return { ...stored, familyStatus: family === 'active' ? 'active' : 'revoked' };
  }

  async rotate(
    current: string,
    family: TokenFamilyRef,
    next: NewRefreshToken,
    audit: AuditEntry,
  ): Promise<boolean> {
    const stored = this.tokens.get(current);
    if (stored?.status !== 'active' || this.families.get(familyKey(family)) !== 'active') return false;
    stored.status = 'rotated';
    this.tokens.set(next.token, {
      ...family,
      status: 'active',
      issuedAt: next.issuedAt,
      expiresAt: next.expiresAt,
    });
    await this.audit.append(family.tenantId, audit);
    return true;
  }

  async revokeFamily(family: TokenFamilyRef, _revocation: Revocation, audit: AuditEntry): Promise<boolean> {
    if (this.families.get(familyKey(family)) !== 'active') return false;
    this.families.set(familyKey(family), 'revoked');
    await this.audit.append(family.tenantId, audit);
    return true;
  }

  async revokeAllFamilies(
    tenantId: string,
    userId: string,
    revocation: Revocation,
    audit: AuditEntry,
  ): Promise<number> {
    let count = 0;
    for (const key of this.families.keys()) {
      const [t, u, familyId] = key.split('/') as [string, string, string];
      if (
        t === tenantId &&
        u === userId &&
        (await this.revokeFamily({ tenantId, userId, familyId }, revocation, {
          ...audit,
          target: { type: 'token_family', id: familyId },
        }))
      )
        count += 1;
    }
    return count;
  }
}

function familyKey(family: TokenFamilyRef): string {
  return `${family.tenantId}/${family.userId}/${family.familyId}`;
}

/** Fast, transparent hashing that records calls, so tests can see which path (real or dummy) was taken. */
export class FakePasswordHasher implements PasswordHasher {
  readonly calls: string[] = [];

  async hash(password: string): Promise<string> {
    this.calls.push('hash');
    return `fake$${password}`;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    this.calls.push('verify');
    return hash === `fake$${password}` || hash === `old$${password}`;
  }

  async dummyVerify(_password: string): Promise<void> {
    this.calls.push('dummyVerify');
  }

  needsRehash(hash: string): boolean {
    return hash.startsWith('old$');
  }
}

export interface RecordedAudit {
  tenantId: string | null;
  entry: AuditEntry;
}

export class RecordingAuditLog {
  readonly entries: RecordedAudit[] = [];

  async append(tenantId: string | null, entry: AuditEntry): Promise<void> {
    this.entries.push({ tenantId, entry });
  }

  actions(): string[] {
    return this.entries.map((e) => e.entry.action);
  }
}

export const TEST_SIGNING_KEY = { kid: 'test-1', secret: 'a-test-signing-secret-of-at-least-32-chars' };
export const START = Date.parse('2026-03-01T09:00:00.000Z');

export interface TestIdentityDeps extends IdentityDeps {
  identities: InMemoryIdentityStore;
  refreshTokens: InMemoryRefreshTokenStore;
  passwords: FakePasswordHasher;
  audit: RecordingAuditLog;
  clock: { now(): number; advance(ms: number): void };
  accessTokens: ReturnType<typeof createAccessTokens>;
}

/** A full set of in-memory identity deps on a clock that only moves when the test moves it. */
export function testIdentityDeps(): TestIdentityDeps {
  let now = START;
  let counter = 0;
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  const next = () => {
    counter += 1;
    return counter;
  };
  const audit = new RecordingAuditLog();
  return {
    identities: new InMemoryIdentityStore(audit),
    refreshTokens: new InMemoryRefreshTokenStore(audit),
    passwords: new FakePasswordHasher(),
    audit,
    clock,
    ids: {
      uuid: () => `id-${next()}`,
      token: () => next().toString(16).padStart(64, '0'),
    },
    accessTokens: createAccessTokens({
      key: TEST_SIGNING_KEY,
      issuer: 'test-issuer',
      audience: 'test-audience',
      ttlSeconds: 900,
      now: clock.now,
    }),
    settings: { refreshTokenTtlSeconds: 30 * 86_400, inviteTtlSeconds: 7 * 86_400 },
  };
}

/** A stored user with sensible defaults. */
export function aUser(overrides: Partial<User> & Pick<User, 'userId' | 'tenantId'>): User {
  const at = new Date(START).toISOString();
  return {
    email: `${overrides.userId}@example.com`,
    name: `User ${overrides.userId}`,
    role: 'advisor',
    status: 'active',
    passwordHash: `fake$password-of-${overrides.userId}`,
    tokensNotBefore: 0,
    assignedAdvisorIds: [],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function aFirm(tenantId: string): Firm {
  const at = new Date(START).toISOString();
  return { tenantId, name: `Firm ${tenantId}`, createdAt: at, updatedAt: at };
}
