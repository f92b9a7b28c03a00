import { RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface CustomerManagedKeyProps {
  /** What the key protects; shown in the KMS console and in CloudTrail. */
  readonly description: string;
}

/**
 * A symmetric customer-managed KMS key with yearly automatic rotation, retained when its stack is deleted
 * (data encrypted under a deleted key is lost). One per data class, so a grant on one never opens another.
 */
export class CustomerManagedKey extends Key {
  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id, {
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
