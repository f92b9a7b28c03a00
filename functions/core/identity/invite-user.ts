import * as z from 'zod';
import { type Principal, RoleSchema } from '../../contracts/principal';
import { ConflictError } from '../../platform/errors';
import type { AuditEntry } from '../audit/audit-entry';
import { assertCanManageUsers } from './access-policy';
import { EmailSchema } from './email';
import { parseInput } from './parse-input';
import type { IdentityDeps } from './ports';
import { PersonNameSchema, PublicUserSchema, toPublicUser, type User } from './user';

export const InviteUserInputSchema = z.object({
  email: EmailSchema,
  name: PersonNameSchema,
  role: RoleSchema,
});
export type InviteUserInput = z.input<typeof InviteUserInputSchema> & { actor: Principal; ip: string };

export const InvitationSchema = z.object({
  user: PublicUserSchema,
  /** Shown once: the store keeps only its SHA-256. */
  inviteToken: z.string(),
  expiresAt: z.iso.datetime(),
});
export type Invitation = z.infer<typeof InvitationSchema>;

export type InviteUserDeps = Pick<IdentityDeps, 'identities' | 'clock' | 'ids' | 'settings'>;

const EMAIL_TAKEN = 'A user with this email already exists.';

/**
 * Admin only. Creates a user of the admin's firm with status `invited` and returns a one-time invite token
 * (32 random bytes, hex) valid for the configured TTL (7 days by default); the invitee sets a password with it
 * (`acceptInvite`). Inviting an email that is still `invited` in this firm issues a fresh token (the earlier one
 * may have expired) and updates name and role; an email in use otherwise, in any firm, is a `ConflictError`.
 */
export async function inviteUser(input: InviteUserInput, deps: InviteUserDeps): Promise<Invitation> {
  assertCanManageUsers(input.actor);
  const { email, name, role } = parseInput(InviteUserInputSchema, input);
  const tenantId = input.actor.tenantId;
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const expiresAt = Math.floor(nowMs / 1000) + deps.settings.inviteTtlSeconds;
  const invite = { token: deps.ids.token(), expiresAt };

  const existing = await deps.identities.findLogin(email);
  let user: User;
  const audited = (userId: string, reissued: boolean): AuditEntry => ({
    action: 'user.invited',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'user', id: userId },
    ip: input.ip,
    details: { role, reissued },
  });
  if (existing) {
    const current =
      existing.tenantId === tenantId ? await deps.identities.getUser(tenantId, existing.userId) : undefined;
    if (current?.status !== 'invited') throw new ConflictError(EMAIL_TAKEN);
    const changes = {
      name,
      role,
      assignedAdvisorIds: role === 'assistant' ? current.assignedAdvisorIds : [],
      updatedAt: now,
    };
    await deps.identities.reissueInvite(
      tenantId,
      current.userId,
      current,
      changes,
      invite,
      audited(current.userId, true),
    );
    user = { ...current, ...changes };
  } else {
    user = {
      userId: deps.ids.uuid(),
      tenantId,
      email,
      name,
      role,
      status: 'invited',
      tokensNotBefore: 0,
      assignedAdvisorIds: [],
      createdAt: now,
      updatedAt: now,
    };
    await deps.identities.createInvitedUser(user, invite, audited(user.userId, false));
  }
  return {
    user: toPublicUser(user),
    inviteToken: invite.token,
    expiresAt: new Date(expiresAt * 1000).toISOString(),
  };
}
