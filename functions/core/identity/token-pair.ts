import * as z from 'zod';
import type { Principal } from '../../contracts/principal';
import type { IdentityDeps } from './ports';

/** What sign-in, registration, invite acceptance and refresh answer (OAuth 2.0 token response names). */
export const TokenPairSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
  /** Seconds until the access token expires. */
  expires_in: z.number().int().positive(),
});
export type TokenPair = z.infer<typeof TokenPairSchema>;

/** A refresh or invite token as issued: 32 random bytes, hex. */
export const OpaqueTokenSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-character token issued');

/** Signs an access token for `principal` and pairs it with `refreshToken`. */
export async function tokenPair(
  principal: Principal,
  refreshToken: string,
  deps: Pick<IdentityDeps, 'accessTokens' | 'ids'>,
): Promise<TokenPair> {
  const accessToken = await deps.accessTokens.sign(principal, deps.ids.uuid());
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'bearer',
    expires_in: deps.accessTokens.ttlSeconds,
  };
}

/** A new session (one token family) for `principal`: what a sign-in of any kind returns. */
export async function startSession(
  principal: Principal,
  deps: Pick<IdentityDeps, 'accessTokens' | 'ids' | 'refreshTokens' | 'clock' | 'settings'>,
): Promise<TokenPair> {
  const issuedAt = Math.floor(deps.clock.now() / 1000);
  const refreshToken = deps.ids.token();
  await deps.refreshTokens.startFamily(
    { tenantId: principal.tenantId, userId: principal.userId, familyId: deps.ids.uuid() },
    { token: refreshToken, issuedAt, expiresAt: issuedAt + deps.settings.refreshTokenTtlSeconds },
  );
  return tokenPair(principal, refreshToken, deps);
}
