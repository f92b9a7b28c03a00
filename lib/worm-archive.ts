import { Duration } from 'aws-cdk-lib';
import { Bucket, type IBucket, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_DEFINITIONS } from '../functions/contracts/bucket-definitions';
import { CustomerManagedKey } from './customer-managed-key';
import { privateBucketProps } from './private-bucket-props';

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
      ...privateBucketProps(this.key, props.accessLogs, 'archive/'),
    });
  }
}
