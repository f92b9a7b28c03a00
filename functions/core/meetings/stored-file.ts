import type { MeetingSource } from './meeting';
import type { UploadExtension } from './upload-formats';

/** A meeting's file in the uploads bucket, whichever way it arrived. */
export interface StoredFile {
  objectKey: string;
  extension: UploadExtension;
  contentType: string;
  sizeBytes: number;
  uploadedAt?: string;
}

/**
 * The uploads-bucket file of a meeting: a presigned upload's, or the one a platform intake fetched. `undefined`
 * for a recording URL (fetched by the transcription provider) and for a platform meeting whose file is not
 * fetched yet.
 */
export function storedFileOf(source: MeetingSource): StoredFile | undefined {
  if (source.type === 'upload') return source;
  if (source.type === 'platform') return source.artifact;
  return undefined;
}
