import type { WebhookIntegration, WebhookIntegrationLookup } from '../../core/platforms/webhook-integration';

export interface WebhookIntegrationCacheOptions {
  /** How long a warm instance trusts what it read: the longest a removed or rotated integration still verifies. */
  ttlMs: number;
  /** Oldest entries go first beyond this (one per connected account, tenant or Meet token seen). */
  maxEntries: number;
  now: () => number;
}

/**
 * Remembers, per warm instance, which firm and integration a webhook route key led to: a platform's deliveries
 * then cost no reads before the signature check (two fewer DynamoDB round trips on the acknowledgement path).
 * Only found integrations are kept, so an unknown account is always looked up (and still refused); `fresh`
 * reads through and replaces the entry, which is how `authenticateWebhook` honours a rotated secret at once.
 */
export function cachedWebhookIntegrations(
  inner: WebhookIntegrationLookup,
  options: WebhookIntegrationCacheOptions,
): WebhookIntegrationLookup {
  const entries = new Map<string, { value: WebhookIntegration; expiresAt: number }>();
  return {
    async find(platform, routeKey, findOptions) {
      const key = `${platform}\n${routeKey}`;
      const entry = entries.get(key);
      if (entry && !findOptions?.fresh && entry.expiresAt > options.now()) {
        return { ...entry.value, cached: true };
      }
      entries.delete(key);
      const found = await inner.find(platform, routeKey, { fresh: true });
      if (found && options.ttlMs > 0) {
        entries.set(key, { value: found, expiresAt: options.now() + options.ttlMs });
        for (const oldest of entries.keys()) {
          if (entries.size <= options.maxEntries) break;
          entries.delete(oldest);
        }
      }
      return found;
    },
  };
}
