import { timingSafeEqual } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Platform } from '../../contracts/platform';
import type { AuditEntry } from '../../core/audit/audit-entry';
import {
  type PlatformIntegration,
  PlatformIntegrationSchema,
  type PlatformRoute,
  PlatformRouteSchema,
} from '../../core/platforms/platform-integration';
import type { IntegrationStore, PlatformRouteStore } from '../../core/platforms/ports';
import { ConflictError, NotFoundError } from '../../platform/errors';
import { pendingAuditPut } from './audit-pending';
import type { StoreDeps } from './dynamo-store';
import { decodeItem, ENTITY_ATTRIBUTE, type EntityCodec, encodeItem } from './item-codec';
import { integrationKeys, platformRouteKeys } from './keys/platform-keys';
import { tokenDigest } from './keys/token-digest';

/** Credentials (secrets and the advisor mapping's emails) are keyring ciphertext; the rest is bookkeeping. */
export const PlatformIntegrationEntity: EntityCodec<typeof PlatformIntegrationSchema> = {
  name: 'platform_integration',
  schema: PlatformIntegrationSchema,
  encrypted: ['credentials'],
};

// `routeDigest` is read back and compared in constant time: the key lookup alone would be a plain equality.
const StoredRouteSchema = PlatformRouteSchema.extend({ routeDigest: z.string().length(64) });
const PlatformRouteEntity: EntityCodec<typeof StoredRouteSchema> = {
  name: 'platform_route',
  schema: StoredRouteSchema,
  encrypted: [],
};

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Platform integrations and their webhook routes (`docs/data-model.md`). The integration item and the route
 * items change together, in one transaction: a route always names an integration that exists, and a route
 * another firm holds makes the change fail (`ConflictError`) instead of taking it over.
 */
export class DynamoPlatformIntegrationStore implements IntegrationStore, PlatformRouteStore {
  constructor(private readonly deps: StoreDeps) {}

  async get(tenantId: string, platform: Platform): Promise<PlatformIntegration | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: pkSk(integrationKeys(tenantId, platform)),
        ConsistentRead: true,
      }),
    );
    return decodeItem(this.deps.keyring, PlatformIntegrationEntity, Item);
  }

  async save(
    integration: PlatformIntegration,
    routes: readonly string[],
    releasedRoutes: readonly string[],
    expectedUpdatedAt: string | undefined,
    audit: AuditEntry,
  ): Promise<void> {
    const keyring = await this.deps.keyring.load();
    const keys = integrationKeys(integration.tenantId, integration.platform);
    const route: PlatformRoute = {
      platform: integration.platform,
      tenantId: integration.tenantId,
      integrationId: integration.integrationId,
    };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.deps.tableName,
          Item: encodeItem(keyring, PlatformIntegrationEntity, keys, integration),
          ...(expectedUpdatedAt === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'updatedAt = :expected',
                ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
              }),
        },
      },
      ...routes.map((routeKey) => this.claimItem(route, routeKey)),
      ...releasedRoutes.map((routeKey) => this.releaseItem(route, routeKey)),
      pendingAuditPut(this.deps.tableName, {
        tenantId: integration.tenantId,
        entry: audit,
        now: this.deps.now(),
      }),
    ];
    try {
      await this.deps.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = items.map((_, i) => error.CancellationReasons?.[i]?.Code ?? 'None');
      if (codes[0] === 'ConditionalCheckFailed' || codes[0] === 'TransactionConflict') {
        throw new ConflictError(
          `The ${integration.platform} integration was changed meanwhile; reload and try again.`,
          error,
        );
      }
      if (codes.slice(1, 1 + routes.length).some((code) => code === 'ConditionalCheckFailed')) {
        throw new ConflictError(
          `This ${integration.platform} account (or token) is already connected to another firm.`,
          error,
        );
      }
      throw error;
    }
  }

  async delete(
    tenantId: string,
    platform: Platform,
    routes: readonly string[],
    audit: AuditEntry,
  ): Promise<void> {
    const route = { platform, tenantId, integrationId: '' };
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.deps.tableName,
          Key: pkSk(integrationKeys(tenantId, platform)),
          ConditionExpression: '#entity = :entity',
          ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
          ExpressionAttributeValues: { ':entity': PlatformIntegrationEntity.name },
        },
      },
      ...routes.map((routeKey) => this.releaseItem(route, routeKey)),
      pendingAuditPut(this.deps.tableName, { tenantId, entry: audit, now: this.deps.now() }),
    ];
    try {
      await this.deps.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        if (error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
          throw new NotFoundError(`This firm has no ${platform} integration.`);
        }
      }
      throw error;
    }
  }

  async find(platform: Platform, routeKey: string): Promise<PlatformRoute | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: pkSk(platformRouteKeys(platform, routeKey)) }),
    );
    const stored = await decodeItem(this.deps.keyring, PlatformRouteEntity, Item);
    if (!stored || stored.platform !== platform) return undefined;
    const expected = Buffer.from(tokenDigest(routeKey), 'hex');
    const found = Buffer.from(stored.routeDigest, 'hex');
    if (found.length !== expected.length || !timingSafeEqual(found, expected)) return undefined;
    return { platform: stored.platform, tenantId: stored.tenantId, integrationId: stored.integrationId };
  }

  async claim(route: PlatformRoute, routeKey: string): Promise<void> {
    const { Put } = this.claimItem(route, routeKey) as { Put: NonNullable<TransactItem['Put']> };
    try {
      await this.deps.client.send(new PutCommand(Put));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`This ${route.platform} route is held by another firm.`, error);
      }
      throw error;
    }
  }

  async release(route: PlatformRoute, routeKey: string): Promise<void> {
    const { Delete } = this.releaseItem(route, routeKey) as { Delete: NonNullable<TransactItem['Delete']> };
    try {
      await this.deps.client.send(new DeleteCommand(Delete));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  /** Put the route for this firm, unless another firm holds it. */
  private claimItem(route: PlatformRoute, routeKey: string): TransactItem {
    const keys = platformRouteKeys(route.platform, routeKey);
    return {
      Put: {
        TableName: this.deps.tableName,
        Item: encodeItem(undefined, PlatformRouteEntity, keys, {
          ...route,
          routeDigest: tokenDigest(routeKey),
        }),
        ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenant',
        ExpressionAttributeValues: { ':tenant': route.tenantId },
      },
    };
  }

  /** Delete the route if this firm holds it (another firm's is left alone). */
  private releaseItem(route: Pick<PlatformRoute, 'platform' | 'tenantId'>, routeKey: string): TransactItem {
    return {
      Delete: {
        TableName: this.deps.tableName,
        Key: pkSk(platformRouteKeys(route.platform, routeKey)),
        ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenant',
        ExpressionAttributeValues: { ':tenant': route.tenantId },
      },
    };
  }
}

function pkSk(keys: { pk: string; sk: string }) {
  return { pk: keys.pk, sk: keys.sk };
}
