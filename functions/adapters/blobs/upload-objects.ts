import type { S3Client } from '@aws-sdk/client-s3';
import type { UploadObjects } from '../../core/pipeline/ports';
import { BlobKeyError, readObject } from './encrypted-blob-store';

/** Reads uploaded files as the browser put them; only `uploads/` keys (a meeting's `source.objectKey`). */
export function createUploadObjects(client: S3Client, bucket: string): UploadObjects {
  return {
    get: (key) => {
      if (!key.startsWith('uploads/') || key.includes('..')) throw new BlobKeyError('Not an upload key.');
      return readObject(client, bucket, key);
    },
  };
}
