import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_DEFINITIONS } from '../functions/contracts/bucket-definitions';

/**
 * Target of the S3 server access logs of the uploads and archive buckets. Logs are kept as long as the
 * archive's retention, so every read of a retained record stays explainable.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      // S3 log delivery cannot write to an SSE-KMS bucket.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(BUCKET_DEFINITIONS.archive.objectLock.retentionDays) }],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server-access-log bucket itself; logging it into itself would loop, and a further log bucket would only move the finding.',
    });
  }
}
