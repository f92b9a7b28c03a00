import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface UploadTriggerProps {
  readonly bucket: IBucket;
  readonly keyPrefix: string;
  readonly target: IFunction;
}

/**
 * S3 "Object Created" events of one bucket and key prefix, delivered through EventBridge to a function.
 * EventBridge rather than a bucket notification: the bucket lives in the stateful stack, and a notification
 * would make it depend on a function of the stateless one (a cycle). Retries and a maximum event age bound
 * redelivery; the handler is idempotent because S3 delivers at least once.
 */
export class UploadTrigger extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: UploadTriggerProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: 'Uploaded recordings and transcripts → their meetings',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: [{ prefix: props.keyPrefix }] },
        },
      },
      targets: [new LambdaFunction(props.target, { retryAttempts: 8 })],
    });
  }
}
