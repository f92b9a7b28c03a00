import * as z from 'zod';
import { UnauthorizedError } from '../../platform/errors';
import type { IdentityDeps } from './ports';
import { OpaqueTokenSchema, type TokenPair, tokenPair } from './token-pair';

export const RefreshInputSchema = z.object({ refreshToken: z.string() });
export type RefreshInput = z.input<typeof RefreshInputSchema> & { ip: string };

export type RefreshDeps = Pick<
  IdentityDeps,
  'identities' | 'refreshTokens' | 'accessTokens' | 'clock' | 'ids' | 'settings'
>;

/** The one answer to every refused refresh: unknown, expired, retired, revoked, lost race, inactive user. */
export const INVALID_REFRESH_TOKEN = 'The refresh token is invalid, expired or revoked. Sign in again.';

/**
 * Rotates a refresh token: the presented token is retired and a new pair issued, with the user's current role
 * (a role change shows up here). The retirement is a conditional write, so of two concurrent refreshes of one
 * token exactly one succeeds; the other gets 401 (and its holder, presenting the now-retired token again,
 * revokes the family). Presenting a retired token revokes its whole family — every token descended from that
 * sign-in — because either the client or a thief replayed it, and we cannot tell which.
 */
export async function refresh(input: RefreshInput, deps: RefreshDeps): Promise<TokenPair> {
  const token = input.refreshToken;
  if (!OpaqueTokenSchema.safeParse(token).success) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
  const nowSeconds = Math.floor(deps.clock.now() / 1000);
  const record = await deps.refreshTokens.find(token);
  if (!record || record.expiresAt <= nowSeconds || record.familyStatus !== 'active') {
    throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
  }

  if (record.status !== 'active') {
    await deps.refreshTokens.revokeFamily(
      record,
      { at: nowSeconds, reason: 'refresh_token_reused' },
      {
        action: 'auth.token_family_revoked',
        outcome: 'success',
        target: { type: 'token_family', id: record.familyId },
        ip: input.ip,
        details: { reason: 'refresh_token_reused', userId: record.userId },
      },
    );
    throw new UnauthorizedError(INVALID_REFRESH_TOKEN);
  }

  const user = await deps.identities.getUser(record.tenantId, record.userId);
  if (user?.status !== 'active') throw new UnauthorizedError(INVALID_REFRESH_TOKEN);

  const next = deps.ids.token();
  const rotated = await deps.refreshTokens.rotate(
    token,
    record,
    { token: next, issuedAt: nowSeconds, expiresAt: nowSeconds + deps.settings.refreshTokenTtlSeconds },
    {
      action: 'auth.token_refreshed',
      outcome: 'success',
      actor: { userId: user.userId, role: user.role },
      target: { type: 'token_family', id: record.familyId },
      ip: input.ip,
      details: {},
    },
  );
  if (!rotated) throw new UnauthorizedError(INVALID_REFRESH_TOKEN);

  return tokenPair({ tenantId: user.tenantId, userId: user.userId, role: user.role }, next, deps);
}
