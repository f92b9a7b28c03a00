import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RecordingLinks } from '../../core/pipeline/transcription-ports';

/**
 * Presigned GETs of uploaded recordings in the uploads bucket, for the transcription provider to download.
 * Plaintext objects only (what the browser PUT); a link signed with a Lambda role's session lasts at most as
 * long as that session.
 */
export function createRecordingLinks(client: S3Client, bucket: string): RecordingLinks {
  return {
    presignGet: (objectKey, expiresInSeconds) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: objectKey }), {
        expiresIn: expiresInSeconds,
      }),
  };
}
