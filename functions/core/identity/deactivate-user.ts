import * as z from 'zod';
import type { Principal } from '../../contracts/principal';
import { ConflictError } from '../../platform/errors';
import { assertCanManageUsers } from './access-policy';
import { assertKeepsAnAdmin } from './last-admin-guard';
import { parseInput } from './parse-input';
import type { IdentityDeps, UserChanges } from './ports';
import { type PublicUser, toPublicUser, UserIdSchema } from './user';
import { requireUser } from './user-lookup';

export const DeactivateUserInputSchema = z.object({ userId: UserIdSchema });
export type DeactivateUserInput = z.input<typeof DeactivateUserInputSchema> & {
  actor: Principal;
  ip: string;
};

export type DeactivateUserDeps = Pick<IdentityDeps, 'identities' | 'refreshTokens' | 'clock'>;

/**
 * Admin only. Deactivates a user of the admin's firm (an invited one too, which withdraws the invite): access
 * tokens stop at once (`tokensNotBefore` moves to now and the status is checked per request) and every refresh
 * token family of the user is revoked. An admin cannot deactivate themself, nor the firm's last active admin.
 * Deactivating a deactivated user only repeats the revocation, so a retry after a partial failure converges.
 */
export async function deactivateUser(
  input: DeactivateUserInput,
  deps: DeactivateUserDeps,
): Promise<PublicUser> {
  assertCanManageUsers(input.actor);
  const { userId } = parseInput(DeactivateUserInputSchema, input);
  if (userId === input.actor.userId) throw new ConflictError('You cannot deactivate yourself.');
  const user = await requireUser(deps.identities, input.actor.tenantId, userId);
  const nowMs = deps.clock.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  let result = user;
  if (user.status !== 'deactivated') {
    await assertKeepsAnAdmin(deps.identities, user, { role: user.role, status: 'deactivated' });
    const changes: UserChanges = {
      status: 'deactivated',
      tokensNotBefore: nowSeconds,
      updatedAt: new Date(nowMs).toISOString(),
    };
    // Audited with the fact itself; the revocation below is idempotent and a retry completes it.
    await deps.identities.updateUser(user.tenantId, user.userId, user, changes, {
      action: 'user.deactivated',
      outcome: 'success',
      actor: { userId: input.actor.userId, role: input.actor.role },
      target: { type: 'user', id: user.userId },
      ip: input.ip,
      details: { previousStatus: user.status },
    });
    result = { ...user, ...changes };
  }
  await deps.refreshTokens.revokeAllFamilies(
    user.tenantId,
    user.userId,
    { at: nowSeconds, reason: 'user_deactivated' },
    {
      action: 'auth.token_family_revoked',
      outcome: 'success',
      actor: { userId: input.actor.userId, role: input.actor.role },
      target: { type: 'user', id: user.userId },
      ip: input.ip,
      details: { reason: 'user_deactivated', userId: user.userId },
    },
  );
  return toPublicUser(result);
}
