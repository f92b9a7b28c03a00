import { describe, expect, it } from 'vitest';
import { cachedWebhookIntegrations } from '../../../functions/adapters/meeting-platforms/webhook-integration-cache';
import type {
  WebhookIntegration,
  WebhookIntegrationLookup,
} from '../../../functions/core/platforms/webhook-integration';
import { zoomIntegration } from '../../fakes/platform-deps';

/** A lookup that counts its reads and answers from a map the test changes. */
function countingLookup() {
  const known = new Map<string, WebhookIntegration>();
  const reads: string[] = [];
  const lookup: WebhookIntegrationLookup = {
    find: async (platform, routeKey) => {
      reads.push(`${platform}/${routeKey}`);
      return known.get(`${platform}/${routeKey}`);
    },
  };
  const set = (routeKey: string, webhookSecretToken: string) =>
    known.set(`zoom/${routeKey}`, {
      tenantId: 'firm-a',
      integration: zoomIntegration({
        credentials: { ...zoomIntegration().credentials, webhookSecretToken } as never,
      }),
      cached: false,
    });
  return { lookup, reads, known, set };
}

function secretOf(found: WebhookIntegration | undefined): string | undefined {
  const credentials = found?.integration.credentials;
  return credentials?.platform === 'zoom' ? credentials.webhookSecretToken : undefined;
}

describe('cachedWebhookIntegrations', () => {
  function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
    const inner = countingLookup();
    let now = 1_000_000;
    const cache = cachedWebhookIntegrations(inner.lookup, {
      ttlMs: options.ttlMs ?? 30_000,
      maxEntries: options.maxEntries ?? 100,
      now: () => now,
    });
    return {
      ...inner,
      cache,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it('reads once, then answers from memory (marked cached) until the entry expires', async () => {
    const t = setup();
    t.set('account:A', 'secret-1');
    expect(await t.cache.find('zoom', 'account:A')).toMatchObject({ cached: false, tenantId: 'firm-a' });
    t.advance(29_999);
    const warm = await t.cache.find('zoom', 'account:A');
    expect(warm?.cached).toBe(true);
    expect(secretOf(warm)).toBe('secret-1');
    expect(t.reads).toEqual(['zoom/account:A']);

    t.set('account:A', 'secret-2');
    t.advance(1);
    const expired = await t.cache.find('zoom', 'account:A');
    expect(expired?.cached).toBe(false);
    expect(secretOf(expired)).toBe('secret-2');
    expect(t.reads).toHaveLength(2);
  });

  it('reads through on `fresh` and keeps what it read for the next caller', async () => {
    const t = setup();
    t.set('account:A', 'secret-1');
    await t.cache.find('zoom', 'account:A');
    t.set('account:A', 'secret-2');
    expect(secretOf(await t.cache.find('zoom', 'account:A'))).toBe('secret-1');
    expect(secretOf(await t.cache.find('zoom', 'account:A', { fresh: true }))).toBe('secret-2');
    const next = await t.cache.find('zoom', 'account:A');
    expect(next?.cached).toBe(true);
    expect(secretOf(next)).toBe('secret-2');
    expect(t.reads).toHaveLength(2);
  });

  it('forgets an integration a fresh read no longer finds (removed)', async () => {
    const t = setup();
    t.set('account:A', 'secret-1');
    await t.cache.find('zoom', 'account:A');
    t.known.clear();
    expect(await t.cache.find('zoom', 'account:A', { fresh: true })).toBeUndefined();
    expect(await t.cache.find('zoom', 'account:A')).toBeUndefined();
    expect(t.reads).toHaveLength(3);
  });

  it('never caches a miss: an unknown account is looked up every time', async () => {
    const t = setup();
    expect(await t.cache.find('zoom', 'account:nobody')).toBeUndefined();
    expect(await t.cache.find('zoom', 'account:nobody')).toBeUndefined();
    expect(t.reads).toEqual(['zoom/account:nobody', 'zoom/account:nobody']);
  });

  it('keys by platform and route: the same key under another platform is another entry', async () => {
    const t = setup();
    t.set('token:x', 'secret-1');
    await t.cache.find('zoom', 'token:x');
    expect(await t.cache.find('meet', 'token:x')).toBeUndefined();
    expect(t.reads).toEqual(['zoom/token:x', 'meet/token:x']);
  });

  it('drops the oldest entries beyond maxEntries', async () => {
    const t = setup({ maxEntries: 2 });
    for (const key of ['account:A', 'account:B', 'account:C']) t.set(key, 's');
    for (const key of ['account:A', 'account:B', 'account:C']) await t.cache.find('zoom', key);
    t.reads.length = 0;
    await t.cache.find('zoom', 'account:C');
    await t.cache.find('zoom', 'account:B');
    expect(t.reads).toEqual([]);
    await t.cache.find('zoom', 'account:A');
    expect(t.reads).toEqual(['zoom/account:A']);
  });

  it('caches nothing with a TTL of 0', async () => {
    const t = setup({ ttlMs: 0 });
    t.set('account:A', 's');
    await t.cache.find('zoom', 'account:A');
    expect((await t.cache.find('zoom', 'account:A'))?.cached).toBe(false);
    expect(t.reads).toHaveLength(2);
  });
});
