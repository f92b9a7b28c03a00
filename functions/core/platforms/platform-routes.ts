import type { IntegrationCredentials } from './integration-credentials';

/**
 * The route keys an integration owns from its credentials alone (see `PlatformRouteSchema`). Routes made later
 * (a Graph subscription id once the subscription exists) are added by the code that makes them, through
 * `PlatformRouteStore.claim`.
 */
export function integrationRouteKeys(integrationId: string, credentials: IntegrationCredentials): string[] {
  switch (credentials.platform) {
    case 'zoom':
      return [zoomAccountRoute(credentials.accountId), zoomEndpointRoute(integrationId)];
    case 'teams':
      return [teamsTenantRoute(credentials.azureTenantId)];
    case 'meet':
      return [meetTokenRoute(credentials.pathToken)];
  }
}

/** Zoom events carry `payload.account_id`. */
export const zoomAccountRoute = (accountId: string) => `account:${accountId}`;
/** Zoom's URL validation carries no account: the endpoint URL the firm configured names the integration. */
export const zoomEndpointRoute = (integrationId: string) => `endpoint:${integrationId}`;
/** Graph notifications carry `tenantId` (the Entra tenant). */
export const teamsTenantRoute = (azureTenantId: string) => `tenant:${azureTenantId.toLowerCase()}`;
/** One Graph subscription of a firm: notifications carry `tenantId` and `subscriptionId`. */
export const teamsSubscriptionRoute = (azureTenantId: string, subscriptionId: string) =>
  `subscription:${azureTenantId.toLowerCase()}:${subscriptionId}`;
/** Pub/Sub pushes to `/webhooks/meet/{pathToken}`. */
export const meetTokenRoute = (pathToken: string) => `token:${pathToken}`;
