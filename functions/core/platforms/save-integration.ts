import type { Principal } from '../../contracts/principal';
import { ForbiddenError, ValidationError } from '../../platform/errors';
import type { IntegrationCredentials } from './integration-credentials';
import type { IntegrationDeps } from './integration-deps';
import type { PlatformIntegration } from './platform-integration';
import { integrationRouteKeys } from './platform-routes';

export interface SaveIntegrationInput {
  actor: Principal;
  ip: string;
  credentials: IntegrationCredentials;
  /** Where the caller's field names start, for error paths (`body.advisor_mappings.0.advisor_user_id`). */
  mappingPath: (index: number) => string;
}

/**
 * Connects a firm to a platform, or replaces its connection (a full replace: every secret is given again).
 * Admins only. Every mapped user must be an active advisor or admin of the firm. The routes the credentials
 * imply (Zoom account, Meet path token, …) are claimed for the firm in the same transaction, so an account
 * connected to another firm is a conflict, never a silent re-route of that firm's meetings.
 */
export async function saveIntegration(
  input: SaveIntegrationInput,
  deps: IntegrationDeps,
): Promise<PlatformIntegration> {
  if (input.actor.role !== 'admin') throw new ForbiddenError();
  const { tenantId } = input.actor;
  const issues = [];
  for (const [index, mapping] of input.credentials.advisorMappings.entries()) {
    const user = await deps.users.getUser(tenantId, mapping.advisorUserId);
    if (user?.status !== 'active' || (user.role !== 'advisor' && user.role !== 'admin')) {
      issues.push({ path: input.mappingPath(index), message: 'is not an active advisor of this firm' });
    }
  }
  if (issues.length > 0) throw new ValidationError('The advisor mapping names unknown users.', issues);

  const existing = await deps.integrations.get(tenantId, input.credentials.platform);
  const now = new Date(deps.clock.now()).toISOString();
  const integration: PlatformIntegration = {
    tenantId,
    platform: input.credentials.platform,
    integrationId: existing?.integrationId ?? deps.ids.uuid(),
    credentials: input.credentials,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    updatedBy: input.actor.userId,
  };
  const routes = integrationRouteKeys(integration.integrationId, integration.credentials);
  const previous = existing ? integrationRouteKeys(existing.integrationId, existing.credentials) : [];
  await deps.integrations.save(
    integration,
    routes,
    previous.filter((route) => !routes.includes(route)),
    existing?.updatedAt,
    {
      action: existing ? 'integration.updated' : 'integration.connected',
      outcome: 'success',
      actor: { userId: input.actor.userId, role: input.actor.role },
      target: { type: 'integration', id: integration.integrationId },
      ip: input.ip,
      details: { platform: integration.platform, advisors: input.credentials.advisorMappings.length },
    },
  );
  return integration;
}
