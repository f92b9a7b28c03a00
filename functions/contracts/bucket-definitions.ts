/**
 * The buckets, declared once for the CDK constructs and the local host. Object Lock settings are real on AWS
 * only: the local S3 server accepts and ignores them, so a local run is never evidence of WORM retention.
 */
export const BUCKET_DEFINITIONS = {
  uploads: {
    configKey: 'UPLOADS_BUCKET',
    localName: 'smartad-uploads',
    /** Unattached uploads are removed after this many days. */
    expireAfterDays: 30,
  },
  archive: {
    configKey: 'ARCHIVE_BUCKET',
    localName: 'smartad-archive',
    /** SEC 17a-4 / Advisers Act 204-2: six years over-satisfies both. */
    objectLock: { mode: 'COMPLIANCE', retentionDays: 2190 },
  },
} as const;

export type BucketName = keyof typeof BUCKET_DEFINITIONS;
