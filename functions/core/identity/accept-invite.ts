import * as z from 'zod';
import { NotFoundError } from '../../platform/errors';
import { parseInput } from './parse-input';
import { PasswordSchema } from './password-policy';
import type { IdentityDeps } from './ports';
import { OpaqueTokenSchema, startSession, type TokenPair } from './token-pair';

export const AcceptInviteInputSchema = z.object({
  inviteToken: OpaqueTokenSchema,
  password: PasswordSchema,
});
export type AcceptInviteInput = z.input<typeof AcceptInviteInputSchema> & { ip: string };

export type AcceptInviteDeps = Pick<
  IdentityDeps,
  'identities' | 'refreshTokens' | 'passwords' | 'accessTokens' | 'clock' | 'ids' | 'settings'
>;

/** Unknown, expired, used or withdrawn (user deactivated): one answer, so a token's fate is not revealed. */
export const INVALID_INVITE = 'The invite does not exist, has expired or was already used.';

/**
 * Sets the invitee's password, activates them and signs them in. The invite is consumed with a conditional
 * write in the same transaction as the activation, so a token works once even under concurrent use. The
 * password is hashed only after the invite is found, so random tokens cost an attacker's requests, not our CPU.
 */
export async function acceptInvite(input: AcceptInviteInput, deps: AcceptInviteDeps): Promise<TokenPair> {
  const { inviteToken, password } = parseInput(AcceptInviteInputSchema, input);
  const nowMs = deps.clock.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  const invite = await deps.identities.findInvite(inviteToken);
  if (!invite || invite.expiresAt <= nowSeconds) throw new NotFoundError(INVALID_INVITE);
  const user = await deps.identities.getUser(invite.tenantId, invite.userId);
  if (user?.status !== 'invited') throw new NotFoundError(INVALID_INVITE);

  const passwordHash = await deps.passwords.hash(password);
  await deps.identities.acceptInvite(
    inviteToken,
    invite,
    { role: user.role, status: 'invited' },
    { status: 'active', passwordHash, updatedAt: new Date(nowMs).toISOString() },
    nowSeconds,
    {
      action: 'user.invite_accepted',
      outcome: 'success',
      actor: { userId: user.userId, role: user.role },
      target: { type: 'user', id: user.userId },
      ip: input.ip,
      details: {},
    },
  );
  return startSession({ tenantId: user.tenantId, userId: user.userId, role: user.role }, deps);
}
