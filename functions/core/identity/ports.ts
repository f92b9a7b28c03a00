import type { Clock } from '../../contracts/clock';
import type { Ids } from '../../contracts/ids';
import type { Page, PageRequest } from '../../contracts/page';
import type { Principal, Role } from '../../contracts/principal';
import type { AuditEntry, AuditLog } from '../audit/audit-entry';
import type { Firm } from './firm';
import type { PublicUser, User, UserStatus } from './user';

export type { AuditLog } from '../audit/audit-entry';

/** Where an email signs in: the firm and user it belongs to (one firm per email, across the system). */
export interface LoginEntry {
  tenantId: string;
  userId: string;
}

/** A stored invite, found by its token (which the store keeps only as a SHA-256). */
export interface InviteRecord {
  tenantId: string;
  userId: string;
  role: Role;
  /** Epoch seconds. */
  expiresAt: number;
}

/** A new one-time token to store (hashed) with its expiry in epoch seconds. */
export interface NewInvite {
  token: string;
  expiresAt: number;
}

/** What a user record must still look like for a change to apply (optimistic concurrency). */
export interface UserExpectation {
  role: Role;
  status: UserStatus;
}

/** The fields a use case may change on a user; `updatedAt` always moves. */
export interface UserChanges {
  role?: Role;
  status?: UserStatus;
  name?: string;
  passwordHash?: string;
  tokensNotBefore?: number;
  assignedAdvisorIds?: string[];
  updatedAt: string;
}

/**
 * Firms, users, the global login directory and invites. Every write that a rule depends on is conditional:
 * the store, not the caller's earlier read, has the last word.
 */
export interface IdentityStore {
  /**
   * Firm, first admin and login entry in one transaction; a taken email is a `ConflictError`. Every write below
   * that takes an `audit` entry records it in the same transaction: the change and its event, or neither.
   */
  registerFirm(firm: Firm, admin: User, audit: AuditEntry): Promise<void>;
  /** An `invited` user, its login entry and its invite in one transaction; a taken email is a `ConflictError`. */
  createInvitedUser(user: User, invite: NewInvite, audit: AuditEntry): Promise<void>;
  /**
   * A fresh invite for a user that is still `invited` (the earlier one may have expired), applying `changes`.
   * `NotFoundError` if the user is no longer as expected.
   */
  reissueInvite(
    tenantId: string,
    userId: string,
    expected: UserExpectation,
    changes: UserChanges,
    invite: NewInvite,
    audit: AuditEntry,
  ): Promise<void>;
  /** `email` is normalised. */
  findLogin(email: string): Promise<LoginEntry | undefined>;
  getFirm(tenantId: string): Promise<Firm | undefined>;
  getUser(tenantId: string, userId: string): Promise<User | undefined>;
  /** One page of the firm's users; a cursor of another firm or list is an `InvalidCursorError`. */
  listUsers(tenantId: string, page: PageRequest): Promise<Page<PublicUser>>;
  /** Active admins of the firm, as the store's counter holds it. */
  activeAdminCount(tenantId: string): Promise<number>;
  /**
   * Applies `changes` if the user still has `expected` role and status (`ConflictError` otherwise). A change
   * that would leave the firm without an active admin is a `LastAdminError`, decided atomically by the store.
   */
  updateUser(
    tenantId: string,
    userId: string,
    expected: UserExpectation,
    changes: UserChanges,
    audit?: AuditEntry,
  ): Promise<void>;
  findInvite(token: string): Promise<InviteRecord | undefined>;
  /**
   * Consumes the invite and applies `changes` to its user in one transaction, only if the invite still exists
   * and is unexpired at `nowSeconds` and the user is still as expected; otherwise `NotFoundError`. Works once.
   */
  acceptInvite(
    token: string,
    invite: InviteRecord,
    expected: UserExpectation,
    changes: UserChanges,
    nowSeconds: number,
    audit: AuditEntry,
  ): Promise<void>;
}

/** One login's chain of refresh tokens: the unit that is revoked. */
export interface TokenFamilyRef {
  tenantId: string;
  userId: string;
  familyId: string;
}

/** `rotated` tokens are retired; revocation is recorded on the family, so one write stops every descendant. */
export interface RefreshTokenRecord extends TokenFamilyRef {
  status: 'active' | 'rotated';
  familyStatus: 'active' | 'revoked';
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface NewRefreshToken {
  token: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
}

export type RevocationReason = 'refresh_token_reused' | 'logout' | 'user_deactivated';

export interface Revocation {
  /** Epoch seconds. */
  at: number;
  reason: RevocationReason;
}

/** Refresh tokens (stored only as SHA-256) and their families. */
export interface RefreshTokenStore {
  /** A new family with its first token. */
  startFamily(family: TokenFamilyRef, first: NewRefreshToken): Promise<void>;
  /** The token's record and its family's status; `undefined` if unknown (or long expired). */
  find(token: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Retires `current` and stores `next` in the same family, atomically, only if `current` is still active and
   * its family is not revoked. `false` if another rotation or a revocation got there first.
   */
  rotate(current: string, family: TokenFamilyRef, next: NewRefreshToken, audit: AuditEntry): Promise<boolean>;
  /** `true` if the family was active and is now revoked; `false` if it already was (or is gone). */
  revokeFamily(family: TokenFamilyRef, revocation: Revocation, audit: AuditEntry): Promise<boolean>;
  /**
   * Revokes every active family of the user, each with its own event (`audit` with the family as its target);
   * returns how many it revoked.
   */
  revokeAllFamilies(
    tenantId: string,
    userId: string,
    revocation: Revocation,
    audit: AuditEntry,
  ): Promise<number>;
}

/** Password hashing (scrypt in production). Hashes are self-describing, so verification uses stored params. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** `false` for a wrong password or a malformed hash; never throws for either. */
  verify(password: string, hash: string): Promise<boolean>;
  /** Costs what `verify` costs and always fails: an unknown email must not answer faster. */
  dummyVerify(password: string): Promise<void>;
  /** The hash was made with weaker parameters than the current ones. */
  needsRehash(hash: string): boolean;
}

/** Signs access tokens (`createAccessTokens(...)` satisfies it). */
export interface AccessTokenSigner {
  readonly ttlSeconds: number;
  sign(principal: Principal, tokenId: string): Promise<string>;
}

export interface IdentitySettings {
  refreshTokenTtlSeconds: number;
  inviteTtlSeconds: number;
}

/**
 * Everything the identity use cases may need; each use case takes only the `Pick` it uses, so a composition
 * root can build this once and pass it to all of them.
 */
export interface IdentityDeps {
  identities: IdentityStore;
  refreshTokens: RefreshTokenStore;
  passwords: PasswordHasher;
  accessTokens: AccessTokenSigner;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
  settings: IdentitySettings;
}
