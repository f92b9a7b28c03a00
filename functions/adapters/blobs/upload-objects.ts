import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { UploadObjects } from '../../core/pipeline/ports';
import { BlobKeyError, readObject } from './encrypted-blob-store';

/**
 * Reads uploaded files as the browser put them, and removes them once stored encrypted; only `uploads/` keys
 * (a meeting's `source.objectKey`).
 */
export function createUploadObjects(client: S3Client, bucket: string): UploadObjects {
  const checked = (key: string) => {
    if (!key.startsWith('uploads/') || key.includes('..')) throw new BlobKeyError('Not an upload key.');
    return key;
  };
  return {
    get: (key) => readObject(client, bucket, checked(key)),
    remove: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: checked(key) }));
    },
  };
}
