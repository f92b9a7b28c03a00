import type { Principal } from '../../contracts/principal';
import { resolveOwner } from '../meetings/meeting-access';
import type { CrmProviderName } from './crm-provider';
import type { CrmDeps } from './ports';

/**
 * Removes an advisor's connection to a CRM, credentials included (404 if there is none). What was already synced
 * stays in the CRM; later meetings no longer sync there.
 */
export async function disconnectCrm(
  input: { actor: Principal; ip: string; provider: CrmProviderName; ownerId?: string },
  deps: Pick<CrmDeps, 'connections' | 'users'>,
): Promise<void> {
  const advisorId = await resolveOwner(input.actor, input.ownerId, deps);
  const tenantId = input.actor.tenantId;
  const existing = await deps.connections.get(tenantId, advisorId, input.provider);
  await deps.connections.delete(tenantId, advisorId, input.provider, {
    action: 'crm.disconnected',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'crm_connection', id: existing?.connectionId ?? input.provider },
    ip: input.ip,
    details: { provider: input.provider, advisor_id: advisorId },
  });
}
