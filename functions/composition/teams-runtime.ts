import { AccessTokenCache } from '../adapters/meeting-platforms/access-token-cache';
import { createPlatformHttp } from '../adapters/meeting-platforms/platform-http';
import { DynamoTeamsSubscriptionStore } from '../adapters/store/teams-subscription-store';
import { createGraphClient } from '../integrations/teams/graph-client';
import type {
  TeamsFirmConnection,
  TeamsSubscriptionSettings,
} from '../integrations/teams/graph-subscriptions-port';
import type { RenewTeamsDeps } from '../integrations/teams/renew-teams-subscriptions';
import { ConfigError } from '../platform/errors';
import { base } from './base';
import { type PlatformRuntime, platformRuntime } from './platform-runtime';

/** Where Graph delivers: below `WEBHOOK_BASE_URL`. */
export const TEAMS_NOTIFICATION_PATH = '/webhooks/teams';
export const TEAMS_LIFECYCLE_PATH = '/webhooks/teams/lifecycle';

/** Subscription upkeep's deps: the store, each firm's Graph connection, the clock and the settings. */
export interface TeamsRuntime extends RenewTeamsDeps {
  platforms: PlatformRuntime;
  subscriptions: DynamoTeamsSubscriptionStore;
}

let cached: TeamsRuntime | undefined;

/** Built once per cold start; the webhook URLs are checked when a subscription is first made, not at start. */
export function teamsRuntime(): TeamsRuntime {
  if (cached) return cached;
  const { config: cfg, storeDeps, clock } = base();
  const platforms = platformRuntime();
  const subscriptions = new DynamoTeamsSubscriptionStore(storeDeps);
  const graphDeps = {
    http: createPlatformHttp(),
    endpoints: cfg.meetingPlatforms.graph,
    tokens: new AccessTokenCache(),
    now: () => Date.now(),
    maxRecordingBytes: cfg.platformIntake.downloadMaxBytes,
  };
  const webhookBase = cfg.meetingPlatforms.webhookBaseUrl;
  const settings: TeamsSubscriptionSettings & { renewWithinMinutes: number; batchSize: number } = {
    get notificationUrl(): string {
      if (webhookBase === undefined) throw missingWebhookBase();
      return `${webhookBase}${TEAMS_NOTIFICATION_PATH}`;
    },
    get lifecycleNotificationUrl(): string {
      if (webhookBase === undefined) throw missingWebhookBase();
      return `${webhookBase}${TEAMS_LIFECYCLE_PATH}`;
    },
    lifetimeMinutes: cfg.meetingPlatforms.teamsSubscriptions.lifetimeMinutes,
    renewWithinMinutes: cfg.meetingPlatforms.teamsSubscriptions.renewWithinMinutes,
    batchSize: 500,
  };
  cached = {
    platforms,
    subscriptions,
    clock,
    settings,
    async connectionOf(firmId: string): Promise<TeamsFirmConnection | undefined> {
      const integration = await platforms.integrations.get(firmId, 'teams');
      const credentials = integration?.credentials;
      if (credentials?.platform !== 'teams') return undefined;
      return {
        firmId,
        graphTenantId: credentials.azureTenantId.toLowerCase(),
        clientState: credentials.clientState,
        credentials,
        graph: createGraphClient(
          {
            tenantId: credentials.azureTenantId,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
          },
          graphDeps,
        ),
      };
    },
  };
  return cached;
}

function missingWebhookBase(): ConfigError {
  return new ConfigError('Teams subscriptions need WEBHOOK_BASE_URL: Graph must be told where to deliver.', [
    { path: 'WEBHOOK_BASE_URL', message: 'is required to create Microsoft Graph subscriptions' },
  ]);
}
