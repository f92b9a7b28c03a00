import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { TABLE_DEFINITION } from '../../contracts/table-definition';
import type { AuditEntry } from '../../core/audit/audit-entry';
import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  Revocation,
  TokenFamilyRef,
} from '../../core/identity/ports';
import { EntityIdSchema } from '../../core/identity/user';
import { pendingAuditPut } from './audit-pending';
import { auditedWrite } from './audited-write';
import { ENTITY_ATTRIBUTE } from './item-codec';
import { refreshTokenKeys } from './keys/refresh-token-keys';
import { tokenDigest } from './keys/token-digest';
import { FAMILY_SK_PREFIX, tokenFamilyKeys, userPartition } from './keys/token-family-keys';

const TOKEN_ENTITY = 'refresh-token';
const FAMILY_ENTITY = 'token-family';
const TTL = TABLE_DEFINITION.ttlAttribute;

const TokenItemSchema = z.object({
  tenantId: EntityIdSchema,
  userId: EntityIdSchema,
  familyId: EntityIdSchema,
  status: z.enum(['active', 'rotated']),
  issuedAt: z.number().int(),
  [TTL]: z.number().int(),
});

const FamilyItemSchema = z.object({ familyId: EntityIdSchema, status: z.enum(['active', 'revoked']) });

export interface RefreshTokenStoreDeps {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Epoch milliseconds: the time recorded on an audited change's event. */
  now: () => number;
}

/**
 * Refresh tokens and their families (`docs/data-model.md`). A token item is keyed by the token's SHA-256 — the
 * token itself is never stored — and records its family, status and expiry (the TTL attribute, so DynamoDB
 * removes it after 30 days; the use case checks expiry itself, since TTL deletion lags). A family item lives in
 * the user's partition, so revoking all of a user's sessions is one Query. Revocation is a family's status:
 * one write stops every token descended from that sign-in, and rotation re-checks it in its transaction.
 */
export class DynamoRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly deps: RefreshTokenStoreDeps) {}

  async startFamily(family: TokenFamilyRef, first: NewRefreshToken): Promise<void> {
    await this.deps.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.deps.tableName,
              Item: {
                ...tokenFamilyKeys(family.tenantId, family.userId, family.familyId),
                [ENTITY_ATTRIBUTE]: FAMILY_ENTITY,
                familyId: family.familyId,
                status: 'active',
                createdAt: first.issuedAt,
                [TTL]: first.expiresAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: this.newTokenPut(family, first) },
        ],
      }),
    );
  }

  async find(token: string): Promise<RefreshTokenRecord | undefined> {
    const stored = await this.getItem(refreshTokenKeys(token));
    if (stored?.[ENTITY_ATTRIBUTE] !== TOKEN_ENTITY) return undefined;
    const item = TokenItemSchema.parse(stored);
    const familyItem = await this.getItem(tokenFamilyKeys(item.tenantId, item.userId, item.familyId));
    const family =
      familyItem?.[ENTITY_ATTRIBUTE] === FAMILY_ENTITY ? FamilyItemSchema.parse(familyItem) : undefined;
    return {
      tenantId: item.tenantId,
      userId: item.userId,
      familyId: item.familyId,
      status: item.status,
      // A family removed by TTL has outlived all its tokens: nothing of it may be used again.
      familyStatus: family?.status === 'active' ? 'active' : 'revoked',
      issuedAt: item.issuedAt,
      expiresAt: item[TTL],
    };
  }

  async rotate(
    current: string,
    family: TokenFamilyRef,
    next: NewRefreshToken,
    audit: AuditEntry,
  ): Promise<boolean> {
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.deps.tableName,
                Key: refreshTokenKeys(current),
                UpdateExpression: 'SET #status = :rotated, replacedBy = :next, rotatedAt = :at',
                ConditionExpression: '#entity = :token AND #status = :active AND #family = :familyId',
                ExpressionAttributeNames: {
                  '#entity': ENTITY_ATTRIBUTE,
                  '#status': 'status',
                  '#family': 'familyId',
                },
                ExpressionAttributeValues: {
                  ':token': TOKEN_ENTITY,
                  ':active': 'active',
                  ':rotated': 'rotated',
                  ':familyId': family.familyId,
                  // The successor's digest, so an investigation can follow a chain; not a usable token.
                  ':next': tokenDigest(next.token),
                  ':at': next.issuedAt,
                },
              },
            },
            {
              Update: {
                TableName: this.deps.tableName,
                Key: tokenFamilyKeys(family.tenantId, family.userId, family.familyId),
                UpdateExpression: 'SET #ttl = :expires, rotatedAt = :at',
                ConditionExpression: '#entity = :family AND #status = :active',
                ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#status': 'status', '#ttl': TTL },
                ExpressionAttributeValues: {
                  ':family': FAMILY_ENTITY,
                  ':active': 'active',
                  ':expires': next.expiresAt,
                  ':at': next.issuedAt,
                },
              },
            },
            { Put: this.newTokenPut(family, next) },
            pendingAuditPut(this.deps.tableName, {
              tenantId: family.tenantId,
              entry: audit,
              now: this.deps.now(),
            }),
          ],
        }),
      );
      return true;
    } catch (error) {
      // A failed condition (retired, revoked) or a concurrent rotation of the same token: this one lost.
      if (error instanceof TransactionCanceledException) {
        const codes = error.CancellationReasons?.map((reason) => reason.Code) ?? [];
        if (codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict'))
          return false;
      }
      throw error;
    }
  }

  async revokeFamily(family: TokenFamilyRef, revocation: Revocation, audit: AuditEntry): Promise<boolean> {
    try {
      await auditedWrite(
        this.deps,
        {
          Update: {
            TableName: this.deps.tableName,
            Key: tokenFamilyKeys(family.tenantId, family.userId, family.familyId),
            UpdateExpression: 'SET #status = :revoked, revokedAt = :at, revokeReason = :reason',
            ConditionExpression: '#entity = :family AND #status = :active',
            ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#status': 'status' },
            ExpressionAttributeValues: {
              ':family': FAMILY_ENTITY,
              ':active': 'active',
              ':revoked': 'revoked',
              ':at': revocation.at,
              ':reason': revocation.reason,
            },
          },
        },
        { tenantId: family.tenantId, entry: audit },
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async revokeAllFamilies(
    tenantId: string,
    userId: string,
    revocation: Revocation,
    audit: AuditEntry,
  ): Promise<number> {
    let revoked = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.client.send(
        new QueryCommand({
          TableName: this.deps.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: '#entity = :family AND #status = :active',
          ProjectionExpression: 'familyId',
          ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': userPartition(tenantId, userId),
            ':prefix': FAMILY_SK_PREFIX,
            ':family': FAMILY_ENTITY,
            ':active': 'active',
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const familyId = EntityIdSchema.parse(item.familyId);
        const event = { ...audit, target: { type: 'token_family', id: familyId } };
        if (await this.revokeFamily({ tenantId, userId, familyId }, revocation, event)) revoked += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return revoked;
  }

  private newTokenPut(family: TokenFamilyRef, token: NewRefreshToken) {
    return {
      TableName: this.deps.tableName,
      Item: {
        ...refreshTokenKeys(token.token),
        [ENTITY_ATTRIBUTE]: TOKEN_ENTITY,
        tenantId: family.tenantId,
        userId: family.userId,
        familyId: family.familyId,
        status: 'active',
        issuedAt: token.issuedAt,
        [TTL]: token.expiresAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }

  private async getItem(key: { pk: string; sk: string }) {
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: { pk: key.pk, sk: key.sk },
        ConsistentRead: true,
      }),
    );
    return Item;
  }
}
