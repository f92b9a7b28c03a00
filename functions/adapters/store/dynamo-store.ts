import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { TABLE_DEFINITION } from '../../contracts/table-definition';
import type { AuditEntry } from '../../core/audit/audit-entry';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors';
import type { KeyringProvider } from '../secrets/secret-source';
import { auditedWrite } from './audited-write';
import { decodeCursor, encodeCursor, type LastEvaluatedKey } from './cursor';
import type { Entity, ItemKeys, Page, QueryOptions } from './entity';
import { CorruptItemError, decodeItem, ENTITY_ATTRIBUTE, encodeItem } from './item-codec';
import { tenantPrefix } from './keys/tenant-prefix';

const MAX_PAGE = 100;

/** A key that does not carry the caller's tenant prefix: a programming error, never a caller's. */
export class TenantIsolationError extends AppError {
  constructor(attribute: string) {
    super('tenant_isolation_violation', `Key attribute ${attribute} does not belong to the calling tenant.`);
  }
}

export interface StoreDeps {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Loaded on first use only: routes that never touch encrypted data never fetch the keyring. */
  keyring: KeyringProvider;
  /** Epoch milliseconds: the time of an audited change, recorded on its audit event. */
  now: () => number;
}

/**
 * The only module that reads and writes the table for request paths. Everything goes through a tenant-scoped
 * view (`forTenant`), which checks every key against the tenant prefix, encrypts and decrypts the entity's
 * encrypted fields, validates items on the way out and seals pagination cursors.
 */
export class DynamoStore {
  constructor(private readonly deps: StoreDeps) {}

  forTenant(tenantId: string): TenantStore {
    return new TenantStore(this.deps, tenantId);
  }

  /** A cheap read proving the table answers (health checks). */
  async ping(): Promise<void> {
    await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: { pk: 'SYSTEM#health', sk: 'PING' } }),
    );
  }
}

/** `#entity = :entity AND status IN (…) AND updatedAt = :u…`: an optimistic-concurrency put condition. */
function writeCondition(
  entityName: string,
  expect: { attribute: string; oneOf: readonly string[] } | undefined,
  unchanged: Readonly<Record<string, string>> | undefined,
) {
  if (!expect && !unchanged) return {};
  const names: Record<string, string> = { '#entity': ENTITY_ATTRIBUTE };
  const values: Record<string, unknown> = { ':entity': entityName };
  const parts = ['#entity = :entity'];
  if (expect) {
    names['#expected'] = expect.attribute;
    expect.oneOf.forEach((v, i) => {
      values[`:expected${i}`] = v;
    });
    parts.push(`#expected IN (${expect.oneOf.map((_v, i) => `:expected${i}`).join(', ')})`);
  }
  Object.entries(unchanged ?? {}).forEach(([attribute, value], i) => {
    names[`#same${i}`] = attribute;
    values[`:same${i}`] = value;
    parts.push(`#same${i} = :same${i}`);
  });
  return {
    ConditionExpression: parts.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export class TenantStore {
  private readonly prefix: string;

  constructor(
    private readonly deps: StoreDeps,
    readonly tenantId: string,
  ) {
    this.prefix = tenantPrefix(tenantId);
  }

  async get<S extends z.ZodObject>(
    entity: Entity<S>,
    key: Pick<ItemKeys, 'pk' | 'sk'>,
  ): Promise<z.infer<S> | undefined> {
    this.assertOwned(key);
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: key }),
    );
    return decodeItem(this.deps.keyring, entity, Item);
  }

  /**
   * Writes an item. With `ifNotExists`, an existing item of the same key is a `ConflictError`; with `expect`,
   * so is a stored item whose (plaintext) attribute is not one of the expected values — optimistic concurrency.
   * With `audit`, the event is recorded in the same transaction: both are written or neither.
   */
  async put<S extends z.ZodObject>(
    entity: Entity<S>,
    item: z.infer<S>,
    options: {
      ifNotExists?: boolean;
      expect?: { attribute: string; oneOf: readonly string[] };
      /** Plaintext attributes that must still hold these values (the revision the caller read). */
      unchanged?: Readonly<Record<string, string>>;
      audit?: AuditEntry;
    } = {},
  ) {
    const keys = entity.keys(this.tenantId, entity.schema.parse(item) as z.infer<S>);
    this.assertOwned(keys);
    const keyring = entity.encrypted.length > 0 ? await this.deps.keyring.load() : undefined;
    const stored = encodeItem(keyring, entity, keys, item);
    const condition = options.ifNotExists
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : writeCondition(entity.name, options.expect, options.unchanged);
    try {
      const put = { TableName: this.deps.tableName, Item: stored, ...condition };
      if (options.audit) {
        await auditedWrite(this.deps, { Put: put }, { tenantId: this.tenantId, entry: options.audit });
      } else {
        await this.deps.client.send(new PutCommand(put));
      }
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          options.ifNotExists
            ? `${entity.name} already exists.`
            : `${entity.name} changed meanwhile; try again.`,
          error,
        );
      }
      throw error;
    }
  }

  /**
   * Deletes an item of this entity; a missing item, or one of another entity at that key, is `NotFoundError`.
   * With `audit`, the event is recorded in the same transaction.
   */
  async delete(
    entity: Entity,
    key: Pick<ItemKeys, 'pk' | 'sk'>,
    options: { audit?: AuditEntry } = {},
  ): Promise<void> {
    this.assertOwned(key);
    const del = {
      TableName: this.deps.tableName,
      Key: key,
      ConditionExpression: '#entity = :entity',
      ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
      ExpressionAttributeValues: { ':entity': entity.name },
    };
    try {
      if (options.audit) {
        await auditedWrite(this.deps, { Delete: del }, { tenantId: this.tenantId, entry: options.audit });
      } else {
        await this.deps.client.send(new DeleteCommand(del));
      }
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new NotFoundError(`${entity.name} not found.`);
      throw error;
    }
  }

  /** One page of a partition (of the table or a GSI), optionally narrowed by a sort-key prefix. */
  async query<S extends z.ZodObject>(entity: Entity<S>, options: QueryOptions): Promise<Page<z.infer<S>>> {
    if (!options.partition.startsWith(this.prefix)) throw new TenantIsolationError('partition');
    const index = options.index
      ? TABLE_DEFINITION.globalIndexes.find((i) => i.name === options.index)
      : undefined;
    const pkName = index?.partitionKey ?? TABLE_DEFINITION.partitionKey;
    const skName = index?.sortKey ?? TABLE_DEFINITION.sortKey;
    const scope = `${this.tenantId}\u0000${options.index ?? 'table'}\u0000${options.partition}\u0000${entity.name}`;
    const keyring = await this.deps.keyring.load();
    const startKey = options.cursor ? decodeCursor(keyring, scope, options.cursor) : undefined;
    const names: Record<string, string> = { '#pk': pkName, '#entity': ENTITY_ATTRIBUTE };
    const values: Record<string, unknown> = { ':pk': options.partition, ':entity': entity.name };
    let condition = '#pk = :pk';
    if (options.sortKeyPrefix !== undefined) {
      names['#sk'] = skName;
      values[':sk'] = options.sortKeyPrefix;
      condition += ' AND begins_with(#sk, :sk)';
    } else if (options.sortKeyBetween) {
      names['#sk'] = skName;
      values[':skFrom'] = options.sortKeyBetween[0];
      values[':skTo'] = options.sortKeyBetween[1];
      condition += ' AND #sk BETWEEN :skFrom AND :skTo';
    }
    let filter = '#entity = :entity';
    for (const [i, [attribute, value]] of Object.entries(options.equals ?? {}).entries()) {
      names[`#f${i}`] = attribute;
      values[`:f${i}`] = value;
      filter += ` AND #f${i} = :f${i}`;
    }
    const result = await this.deps.client.send(
      new QueryCommand({
        TableName: this.deps.tableName,
        ...(index ? { IndexName: index.name } : {}),
        KeyConditionExpression: condition,
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: Math.min(Math.max(1, options.limit), MAX_PAGE),
        ScanIndexForward: !options.descending,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    // The filter on `entity` means every item decodes; a missing one would be a store bug, not a silent skip.
    const items = await Promise.all(
      (result.Items ?? []).map(async (item) => {
        const decoded = await decodeItem(this.deps.keyring, entity, item);
        if (decoded === undefined)
          throw new CorruptItemError(entity.name, String(item.pk), String(item.sk), 'entity');
        return decoded;
      }),
    );
    const last = result.LastEvaluatedKey as LastEvaluatedKey | undefined;
    return { items, ...(last ? { cursor: encodeCursor(keyring, scope, last) } : {}) };
  }

  private assertOwned(keys: Partial<ItemKeys>): void {
    for (const attribute of ['pk', 'gsi1pk', 'gsi2pk'] as const) {
      const value = keys[attribute];
      if (value !== undefined && !value.startsWith(this.prefix)) throw new TenantIsolationError(attribute);
    }
  }
}
