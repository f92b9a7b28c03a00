import * as z from 'zod';
import type { Principal } from '../../contracts/principal';
import { NotFoundError } from '../../platform/errors';
import { type Firm, FirmSchema } from './firm';
import type { IdentityDeps } from './ports';
import { type PublicUser, PublicUserSchema, toPublicUser } from './user';

export const MeSchema = z.object({ user: PublicUserSchema, firm: FirmSchema });
export type Me = z.infer<typeof MeSchema>;

export interface MeInput {
  actor: Principal;
}

/** The calling user (role included) and their firm. */
export async function me(
  input: MeInput,
  deps: Pick<IdentityDeps, 'identities'>,
): Promise<{ user: PublicUser; firm: Firm }> {
  const { tenantId, userId } = input.actor;
  const [user, firm] = await Promise.all([
    deps.identities.getUser(tenantId, userId),
    deps.identities.getFirm(tenantId),
  ]);
  if (!user || !firm) throw new NotFoundError('User not found.');
  return { user: toPublicUser(user), firm };
}
