import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/**
 * An in-memory table that answers the five low-level commands the job sends, with DynamoDB's Scan paging
 * (LastEvaluatedKey whenever a page is full) and the job's `#aN = :oldN AND …` conditions.
 */
export class FakeTable {
  readonly items = new Map<string, Item>();
  readonly scans: Array<Item | undefined> = [];
  beforeUpdate: ((key: Item) => void) | undefined;

  put(item: Item): void {
    this.items.set(this.id(item), structuredClone(item));
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(`${pk}\u0000${sk}`);
  }

  client(): DynamoDBClient {
    return { send: (command: unknown) => this.send(command) } as unknown as DynamoDBClient;
  }

  private id(key: Item): string {
    return `${key.pk?.S}\u0000${key.sk?.S}`;
  }

  private async send(command: unknown): Promise<unknown> {
    if (command instanceof ScanCommand) {
      const { Limit = 1000, ExclusiveStartKey } = command.input;
      this.scans.push(ExclusiveStartKey);
      const ids = [...this.items.keys()].sort();
      const from = ExclusiveStartKey ? ids.findIndex((id) => id > this.id(ExclusiveStartKey)) : 0;
      const pageIds = from < 0 ? [] : ids.slice(from, from + Limit);
      const Items = pageIds.map((id) => structuredClone(this.items.get(id) as Item));
      const last = Items.at(-1);
      const full = Items.length === Limit && last !== undefined;
      return { Items, ...(full ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk } } : {}) };
    }
    if (command instanceof GetItemCommand) {
      const item = this.items.get(this.id(command.input.Key as Item));
      return { ...(item ? { Item: structuredClone(item) } : {}) };
    }
    if (command instanceof PutItemCommand) {
      this.put(command.input.Item as Item);
      return {};
    }
    if (command instanceof DeleteItemCommand) {
      this.items.delete(this.id(command.input.Key as Item));
      return {};
    }
    if (command instanceof UpdateItemCommand) {
      this.beforeUpdate?.(command.input.Key as Item);
      const { ExpressionAttributeNames: names = {}, ExpressionAttributeValues: values = {} } = command.input;
      const item = this.items.get(this.id(command.input.Key as Item));
      const count = Object.keys(names).length;
      for (let i = 0; i < count; i++) {
        const current = item?.[names[`#a${i}`] as string]?.B;
        const expected = values[`:old${i}`]?.B as Uint8Array;
        if (current === undefined || !Buffer.from(current).equals(Buffer.from(expected))) {
          throw new ConditionalCheckFailedException({
            message: 'The conditional request failed',
            $metadata: {},
          });
        }
      }
      for (let i = 0; i < count; i++)
        (item as Item)[names[`#a${i}`] as string] = values[`:new${i}`] as AttributeValue;
      return {};
    }
    throw new Error(`FakeTable: unexpected command ${String(command)}`);
  }
}
