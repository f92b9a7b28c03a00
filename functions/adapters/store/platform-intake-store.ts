import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { PlatformSchema } from '../../contracts/platform';
import { EntityIdSchema } from '../../core/identity/user';
import { PlatformArtifactDescriptorSchema } from '../../core/platforms/platform-artifact';
import type {
  Admission,
  PlatformIntake,
  PlatformIntakeStore,
  PlatformMeetingAdmissions,
} from '../../core/platforms/ports';
import { pendingAuditPut } from './audit-pending';
import type { StoreDeps } from './dynamo-store';
import type { ItemKeys } from './entity';
import { UserEntity } from './identity-store';
import { decodeItem, ENTITY_ATTRIBUTE, type EntityCodec, encodeItem } from './item-codec';
import { deliveryKeys, platformIntakeKeys } from './keys/platform-keys';
import { userKeys } from './keys/user-keys';
import { MeetingEntity } from './meeting-store';

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

/** Attempts of an admission that lost a race (`TransactionConflict`) with another write to one of its items. */
const ADMIT_ATTEMPTS = 4;

/**
 * Delivery claims and pending intakes, tenant-keyed, both with the table's TTL. A platform meeting is admitted
 * by one `TransactWriteItems`: the claim (`attribute_not_exists(pk)`, or expired), a condition on the owner's
 * user item (active, a role that may own meetings), the meeting (`attribute_not_exists`) and its intake item.
 * Of any number of concurrent deliveries of one event exactly one is admitted; the others read the winner's
 * meeting id from the claim (strongly consistent) and write nothing.
 */
export class DynamoPlatformIntakeStore implements PlatformMeetingAdmissions, PlatformIntakeStore {
  constructor(private readonly deps: StoreDeps) {}

  async admit(input: Parameters<PlatformMeetingAdmissions['admit']>[0]): Promise<Admission> {
    const { meeting, intake } = input;
    if (intake.tenantId !== meeting.tenantId || intake.meetingId !== meeting.meetingId) {
      throw new Error('admit: the intake item must belong to the meeting being admitted');
    }
    const keyring = await this.deps.keyring.load();
    const claimKeys = deliveryKeys(meeting.tenantId, intake.platform, input.eventId);
    const claim = encodeItem(undefined, DeliveryEntity, claimKeys, {
      tenantId: meeting.tenantId,
      platform: intake.platform,
      meetingId: meeting.meetingId,
      expiresAt: input.claimExpiresAt,
    });
    const roles = Object.fromEntries(input.ownerRoles.map((role, i) => [`:role${i}`, role]));
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: this.deps.tableName,
            Item: claim,
            // An expired claim the TTL has not deleted yet counts as gone.
            ConditionExpression: 'attribute_not_exists(pk) OR expires_at < :now',
            ExpressionAttributeValues: { ':now': input.nowSeconds },
          },
        },
        {
          ConditionCheck: {
            TableName: this.deps.tableName,
            Key: userKeys(meeting.tenantId, meeting.ownerUserId),
            ConditionExpression: `#entity = :user AND #status = :active AND #role IN (${Object.keys(roles).join(', ')})`,
            ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#status': 'status', '#role': 'role' },
            ExpressionAttributeValues: { ':user': UserEntity.name, ':active': 'active', ...roles },
          },
        },
        {
          Put: {
            TableName: this.deps.tableName,
            Item: encodeItem(keyring, MeetingEntity, MeetingEntity.keys(meeting.tenantId, meeting), meeting),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.deps.tableName,
            Item: encodeItem(
              keyring,
              IntakeEntity,
              platformIntakeKeys(meeting.tenantId, meeting.meetingId),
              intake,
            ),
          },
        },
        pendingAuditPut(this.deps.tableName, {
          tenantId: meeting.tenantId,
          entry: input.audit,
          now: this.deps.now(),
        }),
      ],
    });
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deps.client.send(command);
        return { outcome: 'admitted' };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [claimed, owner] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        // Claimed first: a redelivery is a duplicate even if the owner has been deactivated since.
        if (claimed !== 'ConditionalCheckFailed') {
          if (owner === 'ConditionalCheckFailed') return { outcome: 'owner_ineligible' };
          const conflicted = (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
          if (attempt >= ADMIT_ATTEMPTS || !conflicted) throw error;
          await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
          continue;
        }
      }
      // Claimed before: the claim names the meeting. Gone again (it expired and the TTL took it just now):
      // admit afresh.
      const existing = await this.claimOf(claimKeys);
      if (existing) return { outcome: 'duplicate', meetingId: existing.meetingId };
      if (attempt >= ADMIT_ATTEMPTS)
        throw new Error(`delivery claim ${claimKeys.pk} vanished while admitting`);
    }
  }

  private async claimOf(keys: ItemKeys) {
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: { pk: keys.pk, sk: keys.sk },
        ConsistentRead: true,
      }),
    );
    return decodeItem(this.deps.keyring, DeliveryEntity, Item);
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
