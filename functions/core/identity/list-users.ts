import * as z from 'zod';
import type { Principal } from '../../contracts/principal';
import { assertCanManageUsers } from './access-policy';
import { parseInput } from './parse-input';
import type { IdentityDeps } from './ports';
import { PublicUserSchema } from './user';

export const ListUsersInputSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});
export type ListUsersInput = z.input<typeof ListUsersInputSchema> & { actor: Principal };

export const UserPageSchema = z.object({ items: z.array(PublicUserSchema), cursor: z.string().optional() });
export type UserPage = z.infer<typeof UserPageSchema>;

/**
 * Admin only. One page of the admin's firm's users, in a stable order; pass `cursor` back for the next. A cursor
 * issued for another firm or list is an `InvalidCursorError` (400), never another firm's users.
 */
export async function listUsers(
  input: ListUsersInput,
  deps: Pick<IdentityDeps, 'identities'>,
): Promise<UserPage> {
  assertCanManageUsers(input.actor);
  const { limit, cursor } = parseInput(ListUsersInputSchema, input);
  const page = await deps.identities.listUsers(input.actor.tenantId, {
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
}
