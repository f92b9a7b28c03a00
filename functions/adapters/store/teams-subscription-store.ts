import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type TeamsSubscription,
  TeamsSubscriptionSchema,
  type TeamsSubscriptionStore,
} from '../../integrations/teams/teams-subscription';
import type { StoreDeps } from './dynamo-store';
import { decodeItem, ENTITY_ATTRIBUTE, type EntityCodec, encodeItem } from './item-codec';
import {
  firmTeamsSubscriptionsPartition,
  TEAMS_SUBSCRIPTIONS_BY_EXPIRY,
  teamsSubscriptionKey,
  teamsSubscriptionKeys,
} from './keys/teams-subscription-keys';

/** The organizer (an Entra object id or a UPN, which is an email) is personal data: keyring ciphertext. */
export const TeamsSubscriptionEntity: EntityCodec<typeof TeamsSubscriptionSchema> = {
  name: 'teams_subscription',
  schema: TeamsSubscriptionSchema,
  encrypted: ['graphUserId', 'resource'],
};

const PAGE = 100;

/** Teams subscriptions in the single table (`docs/data-model.md`); one item each, three ways to find it. */
export class DynamoTeamsSubscriptionStore implements TeamsSubscriptionStore {
  constructor(private readonly deps: StoreDeps) {}

  async get(subscriptionId: string): Promise<TeamsSubscription | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: teamsSubscriptionKey(subscriptionId),
        ConsistentRead: true,
      }),
    );
    return decodeItem(this.deps.keyring, TeamsSubscriptionEntity, Item);
  }

  async listForFirm(firmId: string): Promise<TeamsSubscription[]> {
    return this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': firmTeamsSubscriptionsPartition(firmId) },
    });
  }

  async put(subscription: TeamsSubscription): Promise<void> {
    const keyring = await this.deps.keyring.load();
    const item = encodeItem(
      keyring,
      TeamsSubscriptionEntity,
      teamsSubscriptionKeys(subscription.firmId, subscription),
      subscription,
    );
    await this.deps.client.send(new PutCommand({ TableName: this.deps.tableName, Item: item }));
  }

  async delete(subscription: TeamsSubscription): Promise<void> {
    await this.deps.client.send(
      new DeleteCommand({
        TableName: this.deps.tableName,
        Key: teamsSubscriptionKey(subscription.subscriptionId),
      }),
    );
  }

  async markReconciled(subscriptionId: string, reconciledAt: string): Promise<void> {
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: teamsSubscriptionKey(subscriptionId),
          UpdateExpression: 'SET reconciledAt = :at',
          ConditionExpression:
            '#entity = :entity AND (attribute_not_exists(reconciledAt) OR reconciledAt < :at)',
          ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
          ExpressionAttributeValues: { ':at': reconciledAt, ':entity': TeamsSubscriptionEntity.name },
        }),
      );
    } catch (error) {
      // Gone, or a later reconcile already recorded: either way there is nothing to write.
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  async expiringBefore(before: string, limit: number): Promise<TeamsSubscription[]> {
    return this.queryAll(
      {
        IndexName: 'gsi2',
        // `~` sorts after every id character: a subscription expiring exactly at `before` is included.
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :before',
        ExpressionAttributeValues: { ':pk': TEAMS_SUBSCRIPTIONS_BY_EXPIRY, ':before': `${before}#~` },
      },
      limit,
    );
  }

  private async queryAll(
    query: Pick<
      ConstructorParameters<typeof QueryCommand>[0],
      'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'
    >,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<TeamsSubscription[]> {
    const found: TeamsSubscription[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.client.send(
        new QueryCommand({
          TableName: this.deps.tableName,
          ...query,
          Limit: Math.min(PAGE, limit - found.length),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const stored of page.Items ?? []) {
        const subscription = await decodeItem(this.deps.keyring, TeamsSubscriptionEntity, stored);
        if (subscription) found.push(subscription);
      }
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }
}
