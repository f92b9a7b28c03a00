import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION } from '../../contracts/table-definition';
import type { Config } from '../../platform/config/config';
import { RateLimitedError } from '../../platform/http/errors';
import type { RateLimitGate } from '../../platform/http/http-handler';
import { rateWindowKeys } from './keys/rate-window-keys';
import { fixedWindow } from './rate-limit-window';

/** Counters outlive their window a little, so a function whose clock runs behind still finds its window's item. */
const TTL_MARGIN_SECONDS = 60;
const ENTITY = 'rate-window';

export interface RateLimitGateDeps {
  client: DynamoDBDocumentClient;
  tableName: string;
  limits: Config['rateLimits'];
  /** Epoch milliseconds. */
  now: () => number;
}

/**
 * The edge's rate-limit gate: a DynamoDB atomic counter per (class, subject, fixed window), created on first use
 * and deleted by the table's TTL. Each call is one `UpdateItem` (`ADD` then read the new count), so concurrent
 * callers on any number of function instances can never let more than `limit` calls through in a window.
 *
 * A DynamoDB failure is not swallowed: the error propagates and the edge answers 500. Failing open would turn a
 * throttled or broken table into unlimited password guessing on the `auth` class, so the gate fails closed.
 */
export function createRateLimitGate(deps: RateLimitGateDeps): RateLimitGate {
  return {
    async check(limitClass, subject) {
      const { limit, windowSeconds } = deps.limits[limitClass];
      const window = fixedWindow(deps.now(), windowSeconds);
      const result = await deps.client.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: rateWindowKeys(limitClass, subject, window.startSeconds),
          UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl), #entity = :entity',
          ExpressionAttributeNames: {
            '#count': 'count',
            '#ttl': TABLE_DEFINITION.ttlAttribute,
            '#entity': 'entity',
          },
          ExpressionAttributeValues: {
            ':one': 1,
            ':ttl': window.endSeconds + TTL_MARGIN_SECONDS,
            ':entity': ENTITY,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const count = result.Attributes?.count;
      if (typeof count !== 'number') throw new Error('Rate-limit counter update returned no count.');
      if (count > limit) throw new RateLimitedError(window.retryAfterSeconds);
    },
  };
}
