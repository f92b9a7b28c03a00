import { s3Client } from '../adapters/aws-clients';
import { createArchiveWriter } from '../adapters/blobs/archive-writer';
import { createEncryptedBlobStore } from '../adapters/blobs/encrypted-blob-store';
import { createUploadObjects } from '../adapters/blobs/upload-objects';
import type { PipelineDeps } from '../core/pipeline/ports';
import { base } from './base';

export type PipelineObjects = Pick<PipelineDeps, 'blobs' | 'uploads' | 'archive'>;

let cached: PipelineObjects | undefined;

/** The pipeline's buckets: encrypted meeting blobs and the raw uploads (uploads bucket), the WORM archive. */
export function pipelineObjects(): PipelineObjects {
  if (cached) return cached;
  const { config: cfg, storeDeps } = base();
  const s3 = s3Client(cfg);
  cached = {
    blobs: createEncryptedBlobStore({ client: s3, bucket: cfg.buckets.uploads, keyring: storeDeps.keyring }),
    uploads: createUploadObjects(s3, cfg.buckets.uploads),
    archive: createArchiveWriter(s3, cfg.buckets.archive),
  };
  return cached;
}
