import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_DEFINITIONS } from '../functions/adapters/blobs/bucket-definitions';
import { CustomerManagedKey } from './customer-managed-key';

export interface WormArchiveProps {
  readonly accessLogs: IBucket;
}

/**
 * The compliance archive (SEC 17a-4 style WORM): S3 Object Lock with a default retention from
 * `BUCKET_DEFINITIONS.archive.objectLock`, so no one, root included, can delete or overwrite a record before
 * it expires. Only real on AWS: the local S3 server ignores Object Lock.
 */
export class WormArchive extends Construct {
  readonly bucket: Bucket;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: WormArchiveProps) {
    super(scope, id);
    const { mode, retentionDays } = BUCKET_DEFINITIONS.archive.objectLock;
    this.key = new CustomerManagedKey(this, 'Key', { description: 'Smart Advisor OS: compliance archive' });
    this.bucket = new Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      versioned: true,
      objectLockDefaultRetention:
        mode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(retentionDays))
          : ObjectLockRetention.governance(Duration.days(retentionDays)),
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'archive/',
    });
  }
}
