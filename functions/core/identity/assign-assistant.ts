import * as z from 'zod';
import type { Principal } from '../../contracts/principal';
import type { ErrorIssue } from '../../platform/errors';
import { ValidationError } from '../../platform/errors';
import { assertCanManageUsers } from './access-policy';
import { parseInput } from './parse-input';
import type { IdentityDeps, UserChanges } from './ports';
import { type PublicUser, toPublicUser, UserIdSchema } from './user';
import { requireUser } from './user-lookup';

export const MAX_ASSIGNED_ADVISORS = 50;

export const AssignAssistantInputSchema = z.object({
  assistantId: UserIdSchema,
  /** The complete set the assistant acts for (replaces the previous one); empty unassigns. */
  advisorIds: z
    .array(UserIdSchema)
    .max(MAX_ASSIGNED_ADVISORS, `must list at most ${MAX_ASSIGNED_ADVISORS} advisors`)
    .transform((ids) => [...new Set(ids)]),
});
export type AssignAssistantInput = z.input<typeof AssignAssistantInputSchema> & {
  actor: Principal;
  ip: string;
};

export type AssignAssistantDeps = Pick<IdentityDeps, 'identities' | 'clock'>;

/**
 * Admin only. Sets the advisors an assistant acts for — all of them, replacing the previous set. The assistant
 * must be an assistant and each advisor an advisor of the same firm, neither deactivated; an id of another firm
 * is `NotFoundError`, exactly like a missing one. The access policy reads the set on each request, so it applies
 * at once without touching tokens.
 */
export async function assignAssistant(
  input: AssignAssistantInput,
  deps: AssignAssistantDeps,
): Promise<PublicUser> {
  assertCanManageUsers(input.actor);
  const { assistantId, advisorIds } = parseInput(AssignAssistantInputSchema, input);
  const tenantId = input.actor.tenantId;
  const assistant = await requireUser(deps.identities, tenantId, assistantId);
  const issues: ErrorIssue[] = [];
  if (assistant.role !== 'assistant') issues.push({ path: 'assistantId', message: 'must be an assistant' });
  if (assistant.status === 'deactivated') issues.push({ path: 'assistantId', message: 'is deactivated' });
  const advisors = await Promise.all(
    advisorIds.map((id, i) =>
      requireUser(deps.identities, tenantId, id, `Advisor advisorIds.${i} not found.`),
    ),
  );
  advisors.forEach((advisor, i) => {
    if (advisor.role !== 'advisor') issues.push({ path: `advisorIds.${i}`, message: 'must be an advisor' });
    else if (advisor.status === 'deactivated')
      issues.push({ path: `advisorIds.${i}`, message: 'is deactivated' });
  });
  if (issues.length > 0) throw new ValidationError('The assignment is invalid.', issues);

  const changes: UserChanges = {
    assignedAdvisorIds: advisorIds,
    updatedAt: new Date(deps.clock.now()).toISOString(),
  };
  await deps.identities.updateUser(tenantId, assistant.userId, assistant, changes, {
    action: 'user.assistant_assigned',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'user', id: assistant.userId },
    ip: input.ip,
    details: { advisorIds: advisorIds.join(','), advisors: advisorIds.length },
  });
  return toPublicUser({ ...assistant, ...changes });
}
