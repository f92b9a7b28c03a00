import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET_DEFINITIONS } from '../../contracts/bucket-definitions';
import type { ArchiveWriter } from '../../core/pipeline/ports';

/**
 * The WORM archive: every PutObject carries the Object Lock mode and retain-until date (COMPLIANCE: nobody,
 * root included, can shorten or delete it), an explicit SHA-256 checksum (S3 refuses Object Lock PUTs without
 * Content-MD5 or an x-amz-checksum-*, and the local client only adds one WHEN_REQUIRED), and `If-None-Match: *`
 * so a meeting is archived once: a 412 means an earlier attempt wrote it. The local S3 server ignores Object
 * Lock (and conditional writes): locally this is never evidence of retention.
 */
export function createArchiveWriter(client: S3Client, bucket: string): ArchiveWriter {
  return {
    async write({ key, body, retainUntil }) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: 'application/json',
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
            ObjectLockMode: BUCKET_DEFINITIONS.archive.objectLock.mode,
            ObjectLockRetainUntilDate: retainUntil,
            IfNoneMatch: '*',
          }),
        );
        return 'written';
      } catch (error) {
        if (isPreconditionFailed(error)) return 'already_archived';
        throw error;
      }
    },
  };
}

function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}
