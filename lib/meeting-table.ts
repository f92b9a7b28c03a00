import { RemovalPolicy } from 'aws-cdk-lib';
import type { Attribute } from 'aws-cdk-lib/aws-dynamodb';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../functions/contracts/table-definition';
import { CustomerManagedKey } from './customer-managed-key';

/**
 * The system's one DynamoDB table, laid out from `TABLE_DEFINITION` (the same object the local host and the
 * store adapter read): on-demand, point-in-time recovery, a customer-managed key, deletion protection, TTL.
 */
export class MeetingTable extends Construct {
  // Table, not TableV2: TableV2 cannot render a customer-managed key in a region-agnostic stack.
  readonly table: Table;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new CustomerManagedKey(this, 'Key', {
      description: 'Smart Advisor OS: meetings table at rest',
    });
    this.table = new Table(this, 'Table', {
      partitionKey: stringKey(TABLE_DEFINITION.partitionKey),
      sortKey: stringKey(TABLE_DEFINITION.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_DEFINITION.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: StreamViewType[TABLE_DEFINITION.stream],
    });
    for (const index of TABLE_DEFINITION.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}

function stringKey(name: string): Attribute {
  return { name, type: AttributeType.STRING };
}
