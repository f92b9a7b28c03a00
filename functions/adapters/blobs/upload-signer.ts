import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PresignedUpload, UploadSigner } from '../../core/meetings/ports';

/**
 * Presigned PUTs into the uploads bucket. Content type and length are signed headers: S3 answers 403 to a PUT
 * that sends another type or another size, which is how the size limit holds without a POST policy.
 */
export function createUploadSigner(client: S3Client, bucket: string): UploadSigner {
  return {
    async presignPut({ key, contentType, contentLength, expiresInSeconds }): Promise<PresignedUpload> {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          ContentType: contentType,
          ContentLength: contentLength,
        }),
        { expiresIn: expiresInSeconds, signableHeaders: new Set(['content-type', 'content-length']) },
      );
      // A checksum in the URL is one of the empty body the signer saw: S3 would refuse the real file.
      if (/[?&]x-amz-checksum-/i.test(url)) {
        throw new Error(
          'The upload signer would sign a request checksum; give it a client with requestChecksumCalculation WHEN_REQUIRED.',
        );
      }
      return { url, headers: { 'content-type': contentType, 'content-length': String(contentLength) } };
    },
  };
}
