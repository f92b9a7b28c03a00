import { NotFoundError } from '../../platform/errors';
import type { IdentityStore } from './ports';
import type { User } from './user';

/**
 * The user `userId` of firm `tenantId`, or `NotFoundError`. Lookups are keyed by the caller's firm, so a user of
 * another firm is missing here in exactly the same way as one that never existed.
 */
export async function requireUser(
  identities: Pick<IdentityStore, 'getUser'>,
  tenantId: string,
  userId: string,
  message = 'User not found.',
): Promise<User> {
  const user = await identities.getUser(tenantId, userId);
  if (!user) throw new NotFoundError(message);
  return user;
}
