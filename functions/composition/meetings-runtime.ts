import { s3PresignClient } from '../adapters/aws-clients';
import { createUploadSigner } from '../adapters/blobs/upload-signer';
import type { MeetingDepsWithoutWriter } from '../core/meetings/ports';
import { base } from './base';
import { meetingStores } from './meeting-stores';
import { pipelineStarter } from './pipeline-starter';

let cached: MeetingDepsWithoutWriter | undefined;

/**
 * The meetings API's deps: the table, the uploads bucket and the pipeline starter. No model: only drafting a
 * follow-up calls one (`followUpRuntime`).
 */
export function meetingsRuntime(): MeetingDepsWithoutWriter {
  if (cached) return cached;
  const { config: cfg, audit, clock, ids } = base();
  cached = {
    ...meetingStores(),
    uploads: createUploadSigner(s3PresignClient(cfg), cfg.buckets.uploads),
    pipeline: pipelineStarter(cfg),
    audit,
    clock,
    ids,
    settings: {
      uploadMaxBytes: cfg.uploads.maxBytes,
      transcriptUploadMaxBytes: cfg.uploads.transcriptMaxBytes,
      uploadUrlTtlSeconds: cfg.uploads.urlTtlSeconds,
    },
  };
  return cached;
}
