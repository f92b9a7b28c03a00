import * as z from 'zod';
import { type Principal, RoleSchema } from '../../contracts/principal';
import { ConflictError } from '../../platform/errors';
import { assertCanManageUsers } from './access-policy';
import { assertKeepsAnAdmin } from './last-admin-guard';
import { parseInput } from './parse-input';
import type { IdentityDeps, UserChanges } from './ports';
import { type PublicUser, toPublicUser, UserIdSchema } from './user';
import { requireUser } from './user-lookup';

export const ChangeRoleInputSchema = z.object({ userId: UserIdSchema, role: RoleSchema });
export type ChangeRoleInput = z.input<typeof ChangeRoleInputSchema> & { actor: Principal; ip: string };

export type ChangeRoleDeps = Pick<IdentityDeps, 'identities' | 'clock'>;

/**
 * Admin only. Gives a user of the admin's firm another role. The user's access tokens stop at once
 * (`tokensNotBefore` moves to now; the authenticator also compares the token's role), and the next refresh
 * carries the new role. The firm's last active admin cannot be demoted (`LastAdminError`, a `ConflictError`);
 * a deactivated user's role is frozen; the same role again changes nothing. Leaving `assistant` clears the
 * user's advisor assignments.
 */
export async function changeRole(input: ChangeRoleInput, deps: ChangeRoleDeps): Promise<PublicUser> {
  assertCanManageUsers(input.actor);
  const { userId, role } = parseInput(ChangeRoleInputSchema, input);
  const user = await requireUser(deps.identities, input.actor.tenantId, userId);
  if (user.role === role) return toPublicUser(user);
  if (user.status === 'deactivated') throw new ConflictError('A deactivated user’s role cannot be changed.');
  await assertKeepsAnAdmin(deps.identities, user, { role, status: user.status });

  const nowMs = deps.clock.now();
  const changes: UserChanges = {
    role,
    tokensNotBefore: Math.floor(nowMs / 1000),
    ...(role === 'assistant' ? {} : { assignedAdvisorIds: [] }),
    updatedAt: new Date(nowMs).toISOString(),
  };
  await deps.identities.updateUser(user.tenantId, user.userId, user, changes, {
    action: 'user.role_changed',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'user', id: user.userId },
    ip: input.ip,
    details: { from: user.role, to: role },
  });
  return toPublicUser({ ...user, ...changes });
}
