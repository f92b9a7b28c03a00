import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION } from '../../contracts/table-definition';
import type { Config } from '../../platform/config/config';
import { RateLimitedError } from '../../platform/http/errors';
import type { RateLimitCounter, RateLimitGate } from '../../platform/http/http-handler';
import { rateWindowKeys } from './keys/rate-window-keys';
import { type FixedWindow, fixedWindow } from './rate-limit-window';

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
 * How many calls one instance claims from a counter at a time. The `auth` and `ai` classes count every call
 * (their limits are small and guard passwords and spend); the `standard` classes, with limits in the hundreds and
 * thousands, claim about a fiftieth of the limit (at most 100) and spend it locally, so a signed-in request
 * usually costs no write at all. Claims are counted before they are spent, so no more than `limit` calls pass in
 * a window; a claim an idle instance leaves unspent can refuse a caller a little early (at most one lease per
 * instance).
 */
export function leaseSize(limitClass: RateLimitCounter, limit: number): number {
  if (limitClass === 'auth' || limitClass === 'ai') return 1;
  return Math.min(100, Math.max(1, Math.floor(limit / 50)));
}

/** Counter leases this instance holds; entries of past windows are dropped as the map grows. */
const MAX_LEASES = 10_000;

interface Lease {
  windowStart: number;
  windowEnd: number;
  remaining: number;
  /** The counter reached the limit: nothing more passes in this window. */
  exhausted: boolean;
  claiming?: Promise<void>;
}

/**
 * The edge's rate-limit gate: a DynamoDB atomic counter per (class, subject, fixed window), created on first use
 * and deleted by the table's TTL. A claim is one `UpdateItem` (`ADD` then read the new count), so concurrent
 * callers on any number of function instances can never let more than `limit` calls through in a window.
 *
 * A DynamoDB failure is not swallowed: the error propagates and the edge answers 500. Failing open would turn a
 * throttled or broken table into unlimited password guessing on the `auth` class, so the gate fails closed.
 */
export function createRateLimitGate(deps: RateLimitGateDeps): RateLimitGate {
  const leases = new Map<string, Lease>();

  /** Adds `size` to the counter; how many of them fit under the limit. */
  const claim = async (limitClass: RateLimitCounter, subject: string, window: FixedWindow, size: number) => {
    const result = await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: rateWindowKeys(limitClass, subject, window.startSeconds),
        UpdateExpression: 'ADD #count :n SET #ttl = if_not_exists(#ttl, :ttl), #entity = :entity',
        ExpressionAttributeNames: {
          '#count': 'count',
          '#ttl': TABLE_DEFINITION.ttlAttribute,
          '#entity': 'entity',
        },
        ExpressionAttributeValues: {
          ':n': size,
          ':ttl': window.endSeconds + TTL_MARGIN_SECONDS,
          ':entity': ENTITY,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const count = result.Attributes?.count;
    if (typeof count !== 'number') throw new Error('Rate-limit counter update returned no count.');
    const before = count - size;
    return Math.max(0, Math.min(size, deps.limits[limitClass].limit - before));
  };

  const leaseFor = (id: string, window: FixedWindow): Lease => {
    const held = leases.get(id);
    if (held && held.windowStart === window.startSeconds) return held;
    if (leases.size >= MAX_LEASES) {
      for (const [key, lease] of leases) if (lease.windowEnd <= window.startSeconds) leases.delete(key);
    }
    const lease: Lease = {
      windowStart: window.startSeconds,
      windowEnd: window.endSeconds,
      remaining: 0,
      exhausted: false,
    };
    leases.set(id, lease);
    return lease;
  };

  return {
    async check(limitClass, subject) {
      const { limit, windowSeconds } = deps.limits[limitClass];
      const window = fixedWindow(deps.now(), windowSeconds);
      const size = leaseSize(limitClass, limit);
      const lease = leaseFor(`${limitClass}\u0000${subject}`, window);
      for (;;) {
        if (lease.remaining > 0) {
          lease.remaining -= 1;
          return;
        }
        if (lease.exhausted) throw new RateLimitedError(window.retryAfterSeconds);
        // One claim at a time per counter; callers that find one under way wait for it and try again.
        lease.claiming ??= claim(limitClass, subject, window, size)
          .then((granted) => {
            lease.remaining += granted;
            if (granted < size) lease.exhausted = true;
          })
          .finally(() => {
            lease.claiming = undefined;
          });
        await lease.claiming;
      }
    },
  };
}
