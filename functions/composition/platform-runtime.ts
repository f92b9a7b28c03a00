import { cachedWebhookIntegrations } from '../adapters/meeting-platforms/webhook-integration-cache';
import { DynamoIdentityStore } from '../adapters/store/identity-store';
import { DynamoMeetingStore } from '../adapters/store/meeting-store';
import { DynamoPlatformIntakeStore } from '../adapters/store/platform-intake-store';
import { DynamoPlatformIntegrationStore } from '../adapters/store/platform-integration-store';
import type { PipelineDeps } from '../core/pipeline/ports';
import type { IntegrationDeps } from '../core/platforms/integration-deps';
import type { PlatformRouteStore } from '../core/platforms/ports';
import {
  type WebhookIntegrationLookup,
  webhookIntegrationLookup,
} from '../core/platforms/webhook-integration';
import type { Config } from '../platform/config/config';
import { base } from './base';

/** Past every platform's redelivery window (Zoom ~1.5 h, Graph 4 h, Pub/Sub up to 7 days of retention). */
export const DELIVERY_DEDUP_TTL_SECONDS = 8 * 86_400;
/**
 * How long a warm webhook instance trusts the integration a route led to. It saves two reads per delivery; it is
 * also how long a removed integration, or a webhook secret an admin replaced, may still verify on that instance
 * (a delivery signed with a new secret verifies at once: a refusal re-reads).
 */
export const WEBHOOK_INTEGRATION_CACHE_TTL_MS = 30_000;
/** Zoom download tokens live about 24 h; Teams waits up to ~2 h. An intake older than this is abandoned. */
export const INTAKE_TTL_SECONDS = 2 * 86_400;

/**
 * What the platform functions share (the webhooks, the integrations API, the intake tasks): the table only,
 * built once per cold start; nothing does I/O until a request needs it. Starting an intake
 * (`platformIntakeRuntime`, Step Functions) and fetching a file (`platformFetchRuntime`, S3 and the vendors'
 * APIs) are added by the functions that do them.
 */
export interface PlatformRuntime {
  config: Config;
  /** Integrations and the webhook routes that find a firm. */
  integrations: DynamoPlatformIntegrationStore;
  routes: PlatformRouteStore;
  /** The webhooks' firm lookup, cached per warm instance. */
  webhookIntegrations: WebhookIntegrationLookup;
  integrationDeps: IntegrationDeps;
  meetings: DynamoMeetingStore;
  intakes: DynamoPlatformIntakeStore;
  failDeps: Pick<PipelineDeps, 'meetings' | 'clock'>;
}

let cached: PlatformRuntime | undefined;

export function platformRuntime(): PlatformRuntime {
  if (cached) return cached;
  const { config: cfg, storeDeps, store, audit, clock, ids } = base();
  const meetings = new DynamoMeetingStore(store);
  const users = new DynamoIdentityStore(storeDeps);
  const integrations = new DynamoPlatformIntegrationStore(storeDeps);
  cached = {
    config: cfg,
    integrations,
    routes: integrations,
    webhookIntegrations: cachedWebhookIntegrations(
      webhookIntegrationLookup({ routes: integrations, integrations }),
      { ttlMs: WEBHOOK_INTEGRATION_CACHE_TTL_MS, maxEntries: 1_000, now: clock.now },
    ),
    integrationDeps: { integrations, users, audit, clock, ids },
    meetings,
    intakes: new DynamoPlatformIntakeStore(storeDeps),
    failDeps: { meetings, clock },
  };
  return cached;
}
