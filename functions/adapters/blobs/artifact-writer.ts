import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ArtifactWriter } from '../../core/platforms/ports';
import { BlobKeyError } from './encrypted-blob-store';

/**
 * Writes a platform meeting's fetched file into the uploads bucket under its `uploads/` key, as a browser's
 * presigned PUT would: the bucket's ObjectCreated event then runs the upload trigger.
 */
export function createArtifactWriter(client: S3Client, bucket: string): ArtifactWriter {
  return {
    async put(key, bytes, contentType) {
      if (!key.startsWith('uploads/') || key.includes('..')) throw new BlobKeyError('Not an upload key.');
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          ContentLength: bytes.byteLength,
        }),
      );
    },
  };
}
