import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AccessLogsBucket } from './access-logs-bucket';
import { AppSecrets } from './app-secrets';
import { MeetingTable } from './meeting-table';
import { UploadsBucket } from './uploads-bucket';
import { WormArchive } from './worm-archive';

/** What the stateless side may use: handed over as typed props, never looked up by name. */
export interface StatefulResources {
  readonly table: ITable;
  readonly uploadsBucket: IBucket;
  readonly archiveBucket: IBucket;
  readonly keyringSecret: ISecret;
  readonly signingKeySecret: ISecret;
  /** Vendor API keys and the transcription webhook secret; only functions that call a vendor may read it. */
  readonly vendorKeysSecret: ISecret;
  /**
   * Export names of the buckets' ARNs. Object grants import them so the IAM resource (and the cdk-nag finding
   * acknowledged for its `/*`) is a name we choose, not a generated cross-stack reference.
   */
  readonly bucketArnExports: { readonly uploads: string; readonly archive: string };
}

/**
 * Everything that holds data: the table, the buckets, the secrets and their keys. Every resource is
 * retained when the stack is deleted, so the stateless stack can be torn down and redeployed freely.
 */
export class StatefulStack extends Stack {
  readonly resources: StatefulResources;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs');
    const table = new MeetingTable(this, 'MeetingTable');
    const uploads = new UploadsBucket(this, 'Uploads', { accessLogs: accessLogs.bucket });
    const archive = new WormArchive(this, 'Archive', { accessLogs: accessLogs.bucket });
    const secrets = new AppSecrets(this, 'Secrets');
    // Where the operator puts the vendor API keys after the first deploy (README, "Vendor API keys").
    new CfnOutput(this, 'VendorKeysSecretArn', { value: secrets.vendorKeys.secretArn });
    // What `smartad rotate-keys --aws` and `retire-key --aws` read (README, "Key rotation on AWS").
    new CfnOutput(this, 'KeyringSecretArn', { value: secrets.keyring.secretArn });
    new CfnOutput(this, 'TableName', { value: table.table.tableName });
    new CfnOutput(this, 'UploadsBucketName', { value: uploads.bucket.bucketName });
    new CfnOutput(this, 'ArchiveBucketName', { value: archive.bucket.bucketName });
    const exportArn = (name: string, bucket: IBucket) => {
      const exportName = `${id}-${name}BucketArn`;
      new CfnOutput(this, `${name}BucketArn`, { value: bucket.bucketArn, exportName });
      return exportName;
    };
    this.resources = {
      bucketArnExports: {
        uploads: exportArn('Uploads', uploads.bucket),
        archive: exportArn('Archive', archive.bucket),
      },
      table: table.table,
      uploadsBucket: uploads.bucket,
      archiveBucket: archive.bucket,
      keyringSecret: secrets.keyring,
      signingKeySecret: secrets.signingKey,
      vendorKeysSecret: secrets.vendorKeys,
    };
  }
}
