import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION } from '../../functions/contracts/table-definition';

/** The CreateTable input for the one table, derived only from `TABLE_DEFINITION` (as the CDK construct is). */
export function localTableInput(tableName: string) {
  const def = TABLE_DEFINITION;
  const keyNames = [
    def.partitionKey,
    def.sortKey,
    ...def.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const attributeDefinitions: AttributeDefinition[] = [...new Set(keyNames)].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream },
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: def.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: def.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}

async function describeTable(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * The ARN of the table's stream, turning the stream on for a table created before it had one (persisted local
 * data from an older version).
 */
export async function localTableStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const table = await describeTable(client, tableName);
  if (table?.StreamSpecification?.StreamEnabled && table.LatestStreamArn) return table.LatestStreamArn;
  const { TableDescription } = await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DEFINITION.stream },
    }),
  );
  if (!TableDescription?.LatestStreamArn)
    throw new Error(`table ${tableName} has no stream after enabling it`);
  return TableDescription.LatestStreamArn;
}

/**
 * Creates the table (on-demand, both GSIs, TTL on `TABLE_DEFINITION.ttlAttribute`) unless it already exists,
 * as on a restart over persisted data. Returns whether it was created.
 */
export async function ensureLocalTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  if (await describeTable(client, tableName)) return false;
  await client.send(new CreateTableCommand(localTableInput(tableName)));
  await waitUntilTableExists(
    { client, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.5 },
    { TableName: tableName },
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: TABLE_DEFINITION.ttlAttribute },
    }),
  );
  return true;
}
