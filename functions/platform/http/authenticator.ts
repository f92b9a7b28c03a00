import type { Principal, Role } from '../../contracts/principal';
import type { VerifiedAccess } from '../crypto/access-token';
import { UnauthorizedError } from '../errors';

/** What the authenticator needs to know about a user on every request. */
export interface UserStanding {
  status: 'active' | 'invited' | 'deactivated';
  role: Role;
  /** Epoch seconds: tokens issued before this are void (deactivation, role change, password change). */
  tokensNotBefore: number;
}

export interface AuthenticatorDeps {
  verify(token: string): Promise<VerifiedAccess>;
  standing(tenantId: string, userId: string): Promise<UserStanding | undefined>;
  /** How long a read of a user's standing is trusted; 0 reads it on every request. */
  cacheMs: number;
  now: () => number;
}

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Drops a cached standing, so a change made by this process takes effect here at once. */
  forget(tenantId: string, userId: string): void;
}

const MAX_CACHED = 5_000;
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/**
 * Turns an `Authorization: Bearer` header into the calling principal. The token's signature, issuer, audience
 * and expiry are checked first (no I/O); then the user's standing, so a deactivated user or a token issued
 * before a role change stops working within `cacheMs` everywhere — not after the token's 15 minutes.
 */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  interface Entry {
    standing: UserStanding | undefined;
    /** Past this, the entry is not used: a request waits for a fresh read. */
    until: number;
    /** Past this, the entry is still used but a fresh read starts in the background. */
    refreshAt: number;
  }
  const cache = new Map<string, Entry>();
  // One read per user in flight: a burst of requests at expiry waits on one read instead of each making its own.
  const inFlight = new Map<string, Promise<UserStanding | undefined>>();
  // Bumped by forget(): a read that started before a change must not put the old standing back.
  let generation = 0;

  const read = (key: string, tenantId: string, userId: string) => {
    let pending = inFlight.get(key);
    if (!pending) {
      const startedIn = generation;
      pending = deps
        .standing(tenantId, userId)
        .then((standing) => {
          if (deps.cacheMs > 0 && startedIn === generation) {
            const now = deps.now();
            if (cache.size >= MAX_CACHED && !cache.has(key))
              cache.delete(cache.keys().next().value as string);
            cache.set(key, { standing, until: now + deps.cacheMs, refreshAt: now + deps.cacheMs / 2 });
          }
          return standing;
        })
        .finally(() => {
          if (inFlight.get(key) === pending) inFlight.delete(key);
        });
      inFlight.set(key, pending);
    }
    return pending;
  };

  const standingOf = async (tenantId: string, userId: string) => {
    const key = `${tenantId}/${userId}`;
    const now = deps.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) {
      // Refresh ahead, so steady traffic never waits for the table; a failed refresh leaves the entry to expire.
      if (hit.refreshAt <= now) read(key, tenantId, userId).catch(() => undefined);
      return hit.standing;
    }
    return read(key, tenantId, userId);
  };

  return {
    async authenticate(authorization) {
      const token = authorization ? BEARER.exec(authorization.trim())?.[1] : undefined;
      if (!token) throw new UnauthorizedError();
      const access = await deps.verify(token);
      const standing = await standingOf(access.tenantId, access.userId);
      if (
        standing?.status !== 'active' ||
        access.issuedAt < standing.tokensNotBefore ||
        access.role !== standing.role
      ) {
        throw new UnauthorizedError('The access token is no longer valid.');
      }
      return { userId: access.userId, tenantId: access.tenantId, role: access.role };
    },
    forget(tenantId, userId) {
      const key = `${tenantId}/${userId}`;
      generation += 1;
      cache.delete(key);
      inFlight.delete(key);
    },
  };
}
