import { readSecret } from '../adapters/secrets/secret-source';
import { DynamoIdentityStore } from '../adapters/store/identity-store';
import { createRateLimitGate } from '../adapters/store/rate-limit-counters';
import {
  type AccessTokens,
  createAccessTokens,
  parseSigningKeyDocument,
} from '../platform/crypto/access-token';
import { type Authenticator, createAuthenticator } from '../platform/http/authenticator';
import type { EdgeDeps, RateLimitGate } from '../platform/http/http-handler';
import { base } from './base';

/**
 * What the HTTP edge of every route group needs: the authenticator (signing key, the caller's standing) and
 * the rate-limit gate. The signing key is read on first use, so a group that never authenticates never reads it.
 */
export interface EdgeRuntime {
  authenticator: Authenticator;
  rateLimits: RateLimitGate;
  identities: DynamoIdentityStore;
  accessTokens(): Promise<AccessTokens>;
}

let cached: EdgeRuntime | undefined;

export function edgeRuntime(): EdgeRuntime {
  if (cached) return cached;
  const { config: cfg, storeDeps, clock } = base();
  let tokens: Promise<AccessTokens> | undefined;
  const accessTokens = (): Promise<AccessTokens> => {
    tokens ??= readSecret(cfg.signingKey).then((json) =>
      createAccessTokens({
        key: parseSigningKeyDocument(json),
        issuer: cfg.auth.issuer,
        audience: cfg.auth.audience,
        ttlSeconds: cfg.auth.accessTokenTtlSeconds,
        now: clock.now,
      }),
    );
    // A failed load (secret briefly unavailable) is retried by the next request, not cached.
    tokens.catch(() => {
      tokens = undefined;
    });
    return tokens;
  };
  const identities = new DynamoIdentityStore(storeDeps);
  cached = {
    identities,
    accessTokens,
    rateLimits: createRateLimitGate({
      client: storeDeps.client,
      tableName: cfg.tableName,
      limits: cfg.rateLimits,
      now: clock.now,
    }),
    authenticator: createAuthenticator({
      verify: async (token) => (await accessTokens()).verify(token),
      standing: (tenantId, userId) => identities.standing(tenantId, userId),
      cacheMs: cfg.auth.statusCacheMs,
      now: clock.now,
    }),
  };
  return cached;
}

/** What `createHttpHandler` takes from the edge runtime. */
export function edgeDeps(): EdgeDeps {
  const { authenticator, rateLimits } = edgeRuntime();
  return { authenticator, rateLimits };
}
