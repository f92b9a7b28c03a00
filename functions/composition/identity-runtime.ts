import { DynamoRefreshTokenStore } from '../adapters/store/refresh-token-store';
import type { IdentityDeps } from '../core/identity/ports';
import { createPasswordHasher } from '../platform/crypto/password-hash';
import { base } from './base';
import { edgeRuntime } from './edge-runtime';

let cached: IdentityDeps | undefined;

/** The identity use cases' deps (the auth and users functions): the table, scrypt and the signing key. */
export function identityRuntime(): IdentityDeps {
  if (cached) return cached;
  const { config: cfg, storeDeps, audit, clock, ids } = base();
  const { identities, accessTokens } = edgeRuntime();
  cached = {
    identities,
    refreshTokens: new DynamoRefreshTokenStore({
      client: storeDeps.client,
      tableName: cfg.tableName,
      now: clock.now,
    }),
    passwords: createPasswordHasher({ logN: cfg.auth.scryptLogN }),
    accessTokens: {
      ttlSeconds: cfg.auth.accessTokenTtlSeconds,
      sign: async (principal, tokenId) => (await accessTokens()).sign(principal, tokenId),
    },
    audit,
    clock,
    ids,
    settings: {
      refreshTokenTtlSeconds: cfg.auth.refreshTokenTtlSeconds,
      inviteTtlSeconds: cfg.auth.inviteTtlSeconds,
    },
  };
  return cached;
}
