import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { EntityIdSchema } from '../../core/identity/user';
import { PlatformSchema } from '../../core/platforms/platform';
import { PlatformArtifactDescriptorSchema } from '../../core/platforms/platform-artifact';
import type {
  DeliveryClaim,
  DeliveryDedup,
  PlatformIntake,
  PlatformIntakeStore,
} from '../../core/platforms/ports';
import type { StoreDeps } from './dynamo-store';
import { decodeItem, type EntityCodec, encodeItem } from './item-codec';
import { deliveryKeys, platformIntakeKeys } from './keys/platform-keys';

const DeliverySchema = z.object({
  tenantId: EntityIdSchema,
  platform: PlatformSchema,
  meetingId: EntityIdSchema,
  expiresAt: z.number().int().positive(),
});
const DeliveryEntity: EntityCodec<typeof DeliverySchema> = {
  name: 'platform_delivery',
  schema: DeliverySchema,
  encrypted: [],
  expiresAt: (item) => item.expiresAt,
};

const IntakeSchema = z.object({
  tenantId: EntityIdSchema,
  meetingId: EntityIdSchema,
  platform: PlatformSchema,
  descriptor: PlatformArtifactDescriptorSchema,
  createdAt: z.iso.datetime(),
  expiresAt: z.number().int().positive(),
  auditedAt: z.iso.datetime().optional(),
});
/** The descriptor holds download URLs and tokens (or Graph/Drive ids): keyring ciphertext. */
const IntakeEntity: EntityCodec<typeof IntakeSchema> = {
  name: 'platform_intake',
  schema: IntakeSchema,
  encrypted: ['descriptor'],
  expiresAt: (item) => item.expiresAt,
};

/**
 * Delivery claims and pending intakes, tenant-keyed, both with the table's TTL. A claim is one conditional put
 * (`attribute_not_exists(pk)`): of any number of concurrent deliveries of one event exactly one is first, and
 * the others read the winner's meeting id (strongly consistent) instead of creating another meeting.
 */
export class DynamoPlatformIntakeStore implements DeliveryDedup, PlatformIntakeStore {
  constructor(private readonly deps: StoreDeps) {}

  async claim(input: {
    tenantId: string;
    platform: PlatformIntake['platform'];
    eventId: string;
    meetingId: string;
    nowSeconds: number;
    expiresAt: number;
  }): Promise<DeliveryClaim> {
    const keys = deliveryKeys(input.tenantId, input.platform, input.eventId);
    const item = encodeItem(undefined, DeliveryEntity, keys, {
      tenantId: input.tenantId,
      platform: input.platform,
      meetingId: input.meetingId,
      expiresAt: input.expiresAt,
    });
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: item,
          // An expired claim the TTL has not deleted yet counts as gone.
          ConditionExpression: 'attribute_not_exists(pk) OR expires_at < :now',
          ExpressionAttributeValues: { ':now': input.nowSeconds },
        }),
      );
      return { first: true, meetingId: input.meetingId };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: { pk: keys.pk, sk: keys.sk },
        ConsistentRead: true,
      }),
    );
    const existing = await decodeItem(this.deps.keyring, DeliveryEntity, Item);
    if (!existing) throw new Error(`delivery claim ${keys.pk} vanished between put and read`);
    return { first: false, meetingId: existing.meetingId };
  }

  async put(intake: PlatformIntake): Promise<void> {
    const keyring = await this.deps.keyring.load();
    const keys = platformIntakeKeys(intake.tenantId, intake.meetingId);
    await this.deps.client.send(
      new PutCommand({
        TableName: this.deps.tableName,
        Item: encodeItem(keyring, IntakeEntity, keys, intake),
      }),
    );
  }

  async get(tenantId: string, meetingId: string): Promise<PlatformIntake | undefined> {
    const keys = platformIntakeKeys(tenantId, meetingId);
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: { pk: keys.pk, sk: keys.sk },
        ConsistentRead: true,
      }),
    );
    return decodeItem(this.deps.keyring, IntakeEntity, Item);
  }

  async delete(tenantId: string, meetingId: string): Promise<void> {
    const keys = platformIntakeKeys(tenantId, meetingId);
    await this.deps.client.send(
      new DeleteCommand({ TableName: this.deps.tableName, Key: { pk: keys.pk, sk: keys.sk } }),
    );
  }
}
