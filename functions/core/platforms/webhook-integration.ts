import type { Platform } from '../../contracts/platform';
import { WebhookRejectedError } from './errors';
import type { PlatformIntegration } from './platform-integration';
import type { IntegrationStore, PlatformRouteStore } from './ports';

/** The firm an inbound webhook's route key leads to, and that firm's integration for the platform. */
export interface WebhookIntegration {
  tenantId: string;
  integration: PlatformIntegration;
  /** Served from a warm instance's cache rather than read just now (see `authenticateWebhook`). */
  cached: boolean;
}

/**
 * Finds a webhook's firm by route key (never a scan). `fresh` skips any cache. Only a consistent pair is
 * returned: the route's firm has an integration for this platform and it is the one the route was claimed for
 * (a route left from a replaced integration leads nowhere).
 */
export interface WebhookIntegrationLookup {
  find(
    platform: Platform,
    routeKey: string,
    options?: { fresh?: boolean },
  ): Promise<WebhookIntegration | undefined>;
}

/** The lookup over the stores: the route item, then the firm's integration (two reads, always fresh). */
export function webhookIntegrationLookup(deps: {
  routes: Pick<PlatformRouteStore, 'find'>;
  integrations: Pick<IntegrationStore, 'get'>;
}): WebhookIntegrationLookup {
  return {
    async find(platform, routeKey) {
      const route = await deps.routes.find(platform, routeKey);
      if (!route) return undefined;
      const integration = await deps.integrations.get(route.tenantId, platform);
      if (
        integration?.credentials.platform !== platform ||
        integration.integrationId !== route.integrationId
      ) {
        return undefined;
      }
      return { tenantId: route.tenantId, integration, cached: false };
    },
  };
}

/**
 * Finds a webhook's firm and authenticates the delivery with `accept`, which throws `WebhookRejectedError` when
 * the delivery does not verify against what it is given (or `undefined`: no such firm). When the refusal was
 * against a cached integration, the integration is read again and `accept` gets one more try: a secret an admin
 * has just rotated is honoured at once, whatever a warm instance remembers. Deliveries signed with the old secret
 * keep verifying only until the cached entry expires.
 */
export async function authenticateWebhook<T>(
  lookup: WebhookIntegrationLookup,
  platform: Platform,
  routeKey: string,
  accept: (found: WebhookIntegration | undefined) => T,
): Promise<T> {
  const found = await lookup.find(platform, routeKey);
  try {
    return accept(found);
  } catch (error) {
    if (!(error instanceof WebhookRejectedError) || !found?.cached) throw error;
    return accept(await lookup.find(platform, routeKey, { fresh: true }));
  }
}
