import { randomUUID } from 'node:crypto';
import { dynamoDocumentClient, s3Client, sfnClient } from '../../adapters/aws-clients';
import { createArtifactWriter } from '../../adapters/blobs/artifact-writer';
import { cachedWebhookIntegrations } from '../../adapters/meeting-platforms/webhook-integration-cache';
import { localPlatformIntake } from '../../adapters/pipeline/local-platform-intake-registry';
import { createSfnPlatformIntakeStarter } from '../../adapters/pipeline/sfn-platform-intake-starter';
import { keyringProvider } from '../../adapters/secrets/secret-source';
import { createAuditLogStore } from '../../adapters/store/audit-log-store';
import { DynamoStore } from '../../adapters/store/dynamo-store';
import { DynamoIdentityStore } from '../../adapters/store/identity-store';
import { DynamoMeetingStore } from '../../adapters/store/meeting-store';
import { DynamoPlatformIntakeStore } from '../../adapters/store/platform-intake-store';
import { DynamoPlatformIntegrationStore } from '../../adapters/store/platform-integration-store';
import type { PipelineDeps } from '../../core/pipeline/ports';
import type { IntegrationDeps } from '../../core/platforms/integration-deps';
import type {
  FetchArtifactDeps,
  PlatformArtifactFetchers,
  PlatformIntakeDeps,
  PlatformIntakeStarter,
  PlatformRouteStore,
} from '../../core/platforms/ports';
import {
  type WebhookIntegrationLookup,
  webhookIntegrationLookup,
} from '../../core/platforms/webhook-integration';
import { type Config, config } from '../../platform/config/config';
import { ConfigError } from '../../platform/errors';
import { guardedDownload, platformFetchers } from './platform-fetchers';

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
 * What the platform functions share (the webhooks, the integrations API, the intake tasks), built once per
 * cold start; nothing does I/O until a request needs it.
 */
export interface PlatformRuntime {
  config: Config;
  /** Integrations and the webhook routes that find a firm. */
  integrations: DynamoPlatformIntegrationStore;
  routes: PlatformRouteStore;
  /** The webhooks' firm lookup, cached per warm instance. */
  webhookIntegrations: WebhookIntegrationLookup;
  integrationDeps: IntegrationDeps;
  intake: PlatformIntakeDeps;
  /** The intake task's deps with the given fetchers (default: the deployment's, through the SSRF guard). */
  fetchDeps(fetchers?: PlatformArtifactFetchers): FetchArtifactDeps;
  failDeps: Pick<PipelineDeps, 'meetings' | 'clock'>;
}

let cached: PlatformRuntime | undefined;

export function platformRuntime(): PlatformRuntime {
  if (cached) return cached;
  const cfg = config();
  const client = dynamoDocumentClient(cfg);
  const keyring = keyringProvider(cfg.keyring, cfg.keyringCacheSeconds);
  const clock = { now: () => Date.now() };
  const storeDeps = { client, tableName: cfg.tableName, keyring, now: clock.now };
  const meetings = new DynamoMeetingStore(new DynamoStore(storeDeps));
  const users = new DynamoIdentityStore(storeDeps);
  const audit = createAuditLogStore({ client, tableName: cfg.tableName, now: clock.now, keyring });
  const integrations = new DynamoPlatformIntegrationStore(storeDeps);
  const intakes = new DynamoPlatformIntakeStore(storeDeps);
  const ids = { uuid: () => randomUUID() };
  cached = {
    config: cfg,
    integrations,
    routes: integrations,
    webhookIntegrations: cachedWebhookIntegrations(
      webhookIntegrationLookup({ routes: integrations, integrations }),
      { ttlMs: WEBHOOK_INTEGRATION_CACHE_TTL_MS, maxEntries: 1_000, now: clock.now },
    ),
    integrationDeps: { integrations, users, audit, clock, ids },
    intake: {
      admissions: intakes,
      meetings,
      intakes,
      intake: intakeStarter(cfg),
      clock,
      ids,
      settings: { dedupTtlSeconds: DELIVERY_DEDUP_TTL_SECONDS, intakeTtlSeconds: INTAKE_TTL_SECONDS },
    },
    fetchDeps: (fetchers) => ({
      meetings,
      intakes,
      integrations,
      fetchers: fetchers ?? platformFetchers(guardedDownload(cfg), cfg),
      artifacts: createArtifactWriter(s3Client(cfg), cfg.buckets.uploads),
      audit,
      clock,
    }),
    failDeps: { meetings, clock },
  };
  return cached;
}

/** Step Functions on AWS; the local host's in-process runner on the laptop; resolved when first used. */
function intakeStarter(cfg: Config): PlatformIntakeStarter {
  return {
    start: (input) => {
      const arn = cfg.platformIntake.stateMachineArn;
      const starter = arn ? createSfnPlatformIntakeStarter(sfnClient(cfg), arn) : localPlatformIntake();
      if (!starter) {
        throw new ConfigError('No platform intake: PLATFORM_INTAKE_STATE_MACHINE_ARN is not set.', [
          {
            path: 'PLATFORM_INTAKE_STATE_MACHINE_ARN',
            message: 'is required to fetch platform recordings on AWS',
          },
        ]);
      }
      return starter.start(input);
    },
  };
}
