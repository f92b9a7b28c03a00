import { LastAdminError } from './errors';
import type { IdentityStore } from './ports';
import { isActiveAdmin, type User } from './user';

/**
 * Refuses a change that takes an active admin away (demotion or deactivation) when they are the firm's last.
 * The store enforces the same rule atomically on write; this check gives the answer before any work is done.
 */
export async function assertKeepsAnAdmin(
  identities: Pick<IdentityStore, 'activeAdminCount'>,
  before: User,
  after: Pick<User, 'role' | 'status'>,
): Promise<void> {
  if (!isActiveAdmin(before) || isActiveAdmin(after)) return;
  if ((await identities.activeAdminCount(before.tenantId)) <= 1) throw new LastAdminError();
}
