import type { Platform } from '../../contracts/platform';
import type { Principal } from '../../contracts/principal';
import { ForbiddenError, NotFoundError } from '../../platform/errors';
import type { IntegrationDeps } from './integration-deps';
import type { PlatformIntegration } from './platform-integration';
import { integrationRouteKeys } from './platform-routes';

/** The firm's integration with a platform (admins only); `NotFoundError` when it has none. */
export async function getIntegration(
  actor: Principal,
  platform: Platform,
  deps: Pick<IntegrationDeps, 'integrations'>,
): Promise<PlatformIntegration> {
  if (actor.role !== 'admin') throw new ForbiddenError();
  const integration = await deps.integrations.get(actor.tenantId, platform);
  if (!integration) throw new NotFoundError(`This firm has no ${platform} integration.`);
  return integration;
}

/**
 * Disconnects a platform: the integration and its routes go in one transaction, so the platform's next
 * webhook finds no firm (401). Meetings already created stay; intakes still running fail with a reason.
 */
export async function removeIntegration(
  input: { actor: Principal; ip: string; platform: Platform },
  deps: IntegrationDeps,
): Promise<void> {
  const existing = await getIntegration(input.actor, input.platform, deps);
  await deps.integrations.delete(
    existing.tenantId,
    existing.platform,
    integrationRouteKeys(existing.integrationId, existing.credentials),
    {
      action: 'integration.disconnected',
      outcome: 'success',
      actor: { userId: input.actor.userId, role: input.actor.role },
      target: { type: 'integration', id: existing.integrationId },
      ip: input.ip,
      details: { platform: existing.platform },
    },
  );
}
