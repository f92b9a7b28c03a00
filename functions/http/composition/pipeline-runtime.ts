import { dynamoDocumentClient, s3Client } from '../../adapters/aws-clients';
import { createArchiveWriter } from '../../adapters/blobs/archive-writer';
import { BUCKET_DEFINITIONS } from '../../adapters/blobs/bucket-definitions';
import { createEncryptedBlobStore } from '../../adapters/blobs/encrypted-blob-store';
import { createUploadObjects } from '../../adapters/blobs/upload-objects';
import { createPipelineSignals } from '../../adapters/pipeline/pipeline-signals';
import { keyringProvider } from '../../adapters/secrets/secret-source';
import { createAuditLogStore } from '../../adapters/store/audit-log-store';
import { DynamoCrmConnectionStore } from '../../adapters/store/crm-connection-store';
import { DynamoStore } from '../../adapters/store/dynamo-store';
import { DynamoFirmSettingsStore } from '../../adapters/store/firm-settings-store';
import { DynamoIdentityStore } from '../../adapters/store/identity-store';
import { DynamoMeetingStore } from '../../adapters/store/meeting-store';
import type { PipelineDeps } from '../../core/pipeline/ports';
import { config } from '../../platform/config/config';
import type { Logger } from '../../platform/logging/logger';

/** Everything but the extractors: only `Extract` needs them, and they (model SDK included) are most of a bundle. */
export type PipelineRuntime = Omit<PipelineDeps, 'extractor' | 'fallbackExtractor'>;

let cached: PipelineRuntime | undefined;

/**
 * What the pipeline's task functions share, built once per cold start; nothing does I/O until a task needs it.
 * The extractor is not here: `Extract` adds it (`configuredExtractor`), so the other tasks' bundles stay small.
 */
export function pipelineRuntime(log: Logger): PipelineRuntime {
  if (cached) return cached;
  const cfg = config();
  const client = dynamoDocumentClient(cfg);
  const keyring = keyringProvider(cfg.keyring, cfg.keyringCacheSeconds);
  const clock = { now: () => Date.now() };
  const storeDeps = { client, tableName: cfg.tableName, keyring, now: clock.now };
  const store = new DynamoStore(storeDeps);
  cached = {
    meetings: new DynamoMeetingStore(store),
    users: new DynamoIdentityStore(storeDeps),
    blobs: createEncryptedBlobStore({ client: s3Client(cfg), bucket: cfg.buckets.uploads, keyring }),
    uploads: createUploadObjects(s3Client(cfg), cfg.buckets.uploads),
    archive: createArchiveWriter(s3Client(cfg), cfg.buckets.archive),
    crm: new DynamoCrmConnectionStore(store),
    audit: createAuditLogStore({ client, tableName: cfg.tableName, now: clock.now, keyring }),
    signals: createPipelineSignals(log),
    clock,
    settings: {
      archiveRetentionDays: BUCKET_DEFINITIONS.archive.objectLock.retentionDays,
      transcriptMaxChars: cfg.transcripts.maxChars,
    },
    firmSettings: new DynamoFirmSettingsStore(store),
  };
  return cached;
}
