import { createPipelineSignals } from '../adapters/pipeline/pipeline-signals';
import { DynamoCrmConnectionStore } from '../adapters/store/crm-connection-store';
import { DynamoFirmSettingsStore } from '../adapters/store/firm-settings-store';
import { DynamoIdentityStore } from '../adapters/store/identity-store';
import { DynamoMeetingStore } from '../adapters/store/meeting-store';
import { BUCKET_DEFINITIONS } from '../contracts/bucket-definitions';
import type { PipelineDeps } from '../core/pipeline/ports';
import type { Logger } from '../platform/logging/logger';
import { base } from './base';

/**
 * What every pipeline task may need from the table, and the signals. The buckets (`pipelineObjects`) and the
 * extractor (`configuredExtractor`) are not here: only the tasks that read or write objects, or call the model,
 * add them, so the others bundle neither the S3 client nor the model SDK.
 */
export type PipelineRuntime = Omit<
  PipelineDeps,
  'extractor' | 'fallbackExtractor' | 'blobs' | 'uploads' | 'archive'
>;

let cached: PipelineRuntime | undefined;

/** Built once per cold start; nothing does I/O until a task needs it. */
export function pipelineRuntime(log: Logger): PipelineRuntime {
  if (cached) return cached;
  const { config: cfg, storeDeps, store, audit, clock } = base();
  cached = {
    meetings: new DynamoMeetingStore(store),
    users: new DynamoIdentityStore(storeDeps),
    crm: new DynamoCrmConnectionStore(store),
    audit,
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
