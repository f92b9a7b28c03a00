import { Duration } from 'aws-cdk-lib';
import { Bucket, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_DEFINITIONS } from '../functions/contracts/bucket-definitions';
import { CustomerManagedKey } from './customer-managed-key';
import { privateBucketProps } from './private-bucket-props';

export interface UploadsBucketProps {
  readonly accessLogs: IBucket;
}

/**
 * Where browsers put recordings and transcripts (presigned PUT, under `uploads/`). Those are transient: whatever
 * is there is removed after `BUCKET_DEFINITIONS.uploads.expireAfterDays`. The pipeline's keyring-encrypted
 * artefacts (`tenants/…`: normalised transcripts, extractions) are kept: the rule only covers `uploads/`.
 */
export class UploadsBucket extends Construct {
  readonly bucket: Bucket;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: UploadsBucketProps) {
    super(scope, id);
    this.key = new CustomerManagedKey(this, 'Key', { description: 'Smart Advisor OS: uploaded recordings' });
    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucketProps(this.key, props.accessLogs, 'uploads/'),
      lifecycleRules: [
        {
          prefix: 'uploads/',
          expiration: Duration.days(BUCKET_DEFINITIONS.uploads.expireAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    // The upload trigger listens on EventBridge (upload-trigger.ts). Set on the L1 bucket: the L2
    // `eventBridgeEnabled` goes through a notifications custom resource (a Lambda with a managed policy).
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
  }
}
