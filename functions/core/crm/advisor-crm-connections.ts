import type { Principal } from '../../contracts/principal';
import { ForbiddenError } from '../../platform/errors';
import { canReadOwned } from '../identity/access-policy';
import { assignmentsOf } from '../meetings/meeting-access';
import type { CrmConnection } from './crm-connection';
import type { CrmDeps } from './ports';

/**
 * An advisor's CRM connections (the caller's own by default), for whoever may read that advisor's records:
 * the advisor, their assistants, admins and compliance. Credentials are in the result; the view drops them.
 */
export async function advisorCrmConnections(
  input: { actor: Principal; ownerId?: string },
  deps: Pick<CrmDeps, 'connections' | 'users'>,
): Promise<CrmConnection[]> {
  const advisorId = input.ownerId ?? input.actor.userId;
  if (
    advisorId !== input.actor.userId &&
    !canReadOwned(input.actor, advisorId, await assignmentsOf(input.actor, deps))
  ) {
    throw new ForbiddenError("You may not see this advisor's CRM connections.");
  }
  return deps.connections.listForAdvisor(input.actor.tenantId, advisorId);
}
