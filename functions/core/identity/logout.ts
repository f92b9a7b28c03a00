import * as z from 'zod';
import type { IdentityDeps } from './ports';
import { OpaqueTokenSchema } from './token-pair';

export const LogoutInputSchema = z.object({ refreshToken: z.string() });
export type LogoutInput = z.input<typeof LogoutInputSchema> & { ip: string };

export type LogoutDeps = Pick<IdentityDeps, 'identities' | 'refreshTokens' | 'clock'>;

/**
 * Ends the session the refresh token belongs to by revoking its whole family, not just the token: a family is
 * one sign-in, only its newest token is live, and a client presenting an older one must not leave the newest
 * usable. Idempotent and silent: an unknown, expired or already revoked token is not an error, so logout
 * reveals nothing about a token. (Access tokens already issued expire on their own within their TTL.)
 */
export async function logout(input: LogoutInput, deps: LogoutDeps): Promise<void> {
  const token = input.refreshToken;
  if (!OpaqueTokenSchema.safeParse(token).success) return;
  const record = await deps.refreshTokens.find(token);
  if (!record) return;
  const user = await deps.identities.getUser(record.tenantId, record.userId);
  await deps.refreshTokens.revokeFamily(
    record,
    { at: Math.floor(deps.clock.now() / 1000), reason: 'logout' },
    {
      action: 'auth.logged_out',
      outcome: 'success',
      ...(user ? { actor: { userId: user.userId, role: user.role } } : {}),
      target: { type: 'token_family', id: record.familyId },
      ip: input.ip,
      details: {},
    },
  );
}
