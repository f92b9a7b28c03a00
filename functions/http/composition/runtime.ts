import { randomBytes, randomUUID } from 'node:crypto';
import { dynamoDocumentClient, s3Client, sfnClient } from '../../adapters/aws-clients';
import { createEncryptedBlobStore } from '../../adapters/blobs/encrypted-blob-store';
import { createUploadSigner } from '../../adapters/blobs/upload-signer';
import { localPipeline } from '../../adapters/pipeline/local-pipeline-registry';
import { llmCallEmf } from '../../adapters/pipeline/pipeline-signals';
import { createSfnPipelineStarter } from '../../adapters/pipeline/sfn-pipeline-starter';
import { keyringProvider, readSecret } from '../../adapters/secrets/secret-source';
import { type AuditLogStore, createAuditLogStore } from '../../adapters/store/audit-log-store';
import { DynamoCrmSyncStore } from '../../adapters/store/crm-sync-store';
import { DynamoStore } from '../../adapters/store/dynamo-store';
import { DynamoFirmSettingsStore } from '../../adapters/store/firm-settings-store';
import { DynamoFollowUpDraftStore } from '../../adapters/store/follow-up-draft-store';
import { DynamoIdentityStore } from '../../adapters/store/identity-store';
import { DynamoMeetingAnnotationStore } from '../../adapters/store/meeting-annotation-store';
import { DynamoMeetingStore } from '../../adapters/store/meeting-store';
import { createRateLimitGate } from '../../adapters/store/rate-limit-counters';
import { DynamoRefreshTokenStore } from '../../adapters/store/refresh-token-store';
import type { FirmSettingsStore } from '../../core/firm/firm-settings';
import type { Clock, IdentityDeps } from '../../core/identity/ports';
import type { MeetingDeps, PipelineStarter } from '../../core/meetings/ports';
import { configuredFollowUpWriter } from '../../integrations/configured-follow-up-writer';
import { type Config, config } from '../../platform/config/config';
import {
  type AccessTokens,
  createAccessTokens,
  parseSigningKeyDocument,
} from '../../platform/crypto/access-token';
import { createPasswordHasher } from '../../platform/crypto/password-hash';
import { ConfigError } from '../../platform/errors';
import { type Authenticator, createAuthenticator } from '../../platform/http/authenticator';
import type { EdgeDeps, RateLimitGate } from '../../platform/http/http-handler';

/**
 * The composition root of the HTTP functions: every adapter built once per cold start from validated config.
 * Nothing here does I/O until a request needs it (the signing key and keyring are read on first use), so a
 * function's init stays cheap and a handler that never authenticates never reads the signing key.
 */
export interface Runtime {
  config: Config;
  identity: IdentityDeps;
  identities: DynamoIdentityStore;
  meetings: MeetingDeps;
  audit: AuditLogStore;
  firm: { firmSettings: FirmSettingsStore; clock: Clock };
  rateLimits: RateLimitGate;
  authenticator: Authenticator;
}

let cached: Runtime | undefined;

export function runtime(): Runtime {
  if (cached) return cached;
  const cfg = config();
  const client = dynamoDocumentClient(cfg);
  const keyring = keyringProvider(cfg.keyring, cfg.keyringCacheSeconds);
  const clock = { now: () => Date.now() };

  let tokens: Promise<AccessTokens> | undefined;
  const accessTokens = (): Promise<AccessTokens> => {
    tokens ??= readSecret(cfg.signingKey).then((json) =>
      createAccessTokens({
        key: parseSigningKeyDocument(json),
        issuer: cfg.auth.issuer,
        audience: cfg.auth.audience,
        ttlSeconds: cfg.auth.accessTokenTtlSeconds,
        now: clock.now,
      }),
    );
    // A failed load (secret briefly unavailable) is retried by the next request, not cached.
    tokens.catch(() => {
      tokens = undefined;
    });
    return tokens;
  };

  const storeDeps = { client, tableName: cfg.tableName, keyring, now: clock.now };
  const identities = new DynamoIdentityStore(storeDeps);
  const meetingTable = new DynamoStore(storeDeps);
  const firmSettings = new DynamoFirmSettingsStore(meetingTable);
  const audit = createAuditLogStore({ client, tableName: cfg.tableName, now: clock.now, keyring });
  const ids = { uuid: () => randomUUID(), token: () => randomBytes(32).toString('hex') };
  cached = {
    config: cfg,
    identities,
    audit,
    identity: {
      identities,
      refreshTokens: new DynamoRefreshTokenStore({ client, tableName: cfg.tableName, now: clock.now }),
      passwords: createPasswordHasher({ logN: cfg.auth.scryptLogN }),
      accessTokens: {
        ttlSeconds: cfg.auth.accessTokenTtlSeconds,
        sign: async (principal, tokenId) => (await accessTokens()).sign(principal, tokenId),
      },
      audit,
      clock,
      ids,
      settings: {
        refreshTokenTtlSeconds: cfg.auth.refreshTokenTtlSeconds,
        inviteTtlSeconds: cfg.auth.inviteTtlSeconds,
      },
    },
    meetings: {
      meetings: new DynamoMeetingStore(meetingTable),
      users: identities,
      uploads: createUploadSigner(s3Client(cfg), cfg.buckets.uploads),
      pipeline: pipelineStarter(cfg),
      audit,
      clock,
      ids,
      settings: {
        uploadMaxBytes: cfg.uploads.maxBytes,
        transcriptUploadMaxBytes: cfg.uploads.transcriptMaxBytes,
        uploadUrlTtlSeconds: cfg.uploads.urlTtlSeconds,
      },
      extractions: createEncryptedBlobStore({ client: s3Client(cfg), bucket: cfg.buckets.uploads, keyring }),
      annotations: new DynamoMeetingAnnotationStore(meetingTable),
      followUpDrafts: new DynamoFollowUpDraftStore(meetingTable),
      // Each draft call's tokens and cost as a metric line (the pipeline's calls are also on the meeting).
      followUpWriter: configuredFollowUpWriter(
        cfg,
        (call) => void process.stdout.write(`${llmCallEmf(call, Date.now())}\n`),
      ),
      firmSettings,
      crmSync: new DynamoCrmSyncStore(meetingTable),
    },
    firm: { firmSettings, clock },
    rateLimits: createRateLimitGate({
      client,
      tableName: cfg.tableName,
      limits: cfg.rateLimits,
      now: clock.now,
    }),
    authenticator: createAuthenticator({
      verify: async (token) => (await accessTokens()).verify(token),
      standing: (tenantId, userId) => identities.standing(tenantId, userId),
      cacheMs: cfg.auth.statusCacheMs,
      now: clock.now,
    }),
  };
  return cached;
}

/** Step Functions on AWS; the local host's in-process runner on the laptop; resolved when first used. */
function pipelineStarter(cfg: Config): PipelineStarter {
  return {
    start: (input) => {
      const arn = cfg.pipeline.stateMachineArn;
      const starter = arn ? createSfnPipelineStarter(sfnClient(cfg), arn) : localPipeline();
      if (!starter) {
        throw new ConfigError('No meeting pipeline: PIPELINE_STATE_MACHINE_ARN is not set.', [
          { path: 'PIPELINE_STATE_MACHINE_ARN', message: 'is required to start the meeting pipeline on AWS' },
        ]);
      }
      return starter.start(input);
    },
  };
}

/** What the HTTP edge needs from the runtime: the authenticator and the rate-limit gate. */
export function edgeDeps(): EdgeDeps {
  const { authenticator, rateLimits } = runtime();
  return { authenticator, rateLimits };
}
