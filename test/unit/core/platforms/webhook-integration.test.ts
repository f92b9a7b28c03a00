import { describe, expect, it } from 'vitest';
import { WebhookRejectedError } from '../../../../functions/core/platforms/errors';
import {
  authenticateWebhook,
  type WebhookIntegration,
  webhookIntegrationLookup,
} from '../../../../functions/core/platforms/webhook-integration';
import { platformDeps, TENANT, zoomIntegration } from '../../../fakes/platform-deps';

describe('webhookIntegrationLookup', () => {
  it('finds the firm and its integration by route key', async () => {
    const t = platformDeps();
    const lookup = webhookIntegrationLookup({ routes: t.routeStore, integrations: t.integrationStore });
    expect(await lookup.find('zoom', 'account:AcctAAA111')).toMatchObject({
      tenantId: TENANT,
      cached: false,
      integration: { integrationId: 'int-zoom-1' },
    });
    expect(await lookup.find('zoom', 'account:unknown')).toBeUndefined();
  });

  it('leads nowhere from a route whose integration was replaced, or under another platform', async () => {
    const t = platformDeps();
    const lookup = webhookIntegrationLookup({ routes: t.routeStore, integrations: t.integrationStore });
    t.saveIntegration(zoomIntegration({ integrationId: 'int-zoom-2' }));
    expect(await lookup.find('zoom', 'account:AcctAAA111')).toBeUndefined();
    const misfiled = webhookIntegrationLookup({
      routes: { find: async () => ({ platform: 'meet', tenantId: TENANT, integrationId: 'int-zoom-1' }) },
      integrations: { get: async () => zoomIntegration() },
    });
    expect(await misfiled.find('meet', 'token:x')).toBeUndefined();
  });
});

describe('authenticateWebhook', () => {
  const found = (secret: string, cached: boolean): WebhookIntegration => ({
    tenantId: TENANT,
    integration: zoomIntegration({
      credentials: { ...zoomIntegration().credentials, webhookSecretToken: secret } as never,
    }),
    cached,
  });
  const secretIs = (expected: string) => (f: WebhookIntegration | undefined) => {
    const credentials = f?.integration.credentials;
    if (credentials?.platform !== 'zoom' || credentials.webhookSecretToken !== expected) {
      throw new WebhookRejectedError('bad_signature');
    }
    return f?.tenantId;
  };

  it('re-reads once when a cached integration refuses the delivery, and accepts what is stored now', async () => {
    const calls: (boolean | undefined)[] = [];
    const lookup = {
      find: async (_p: string, _k: string, options?: { fresh?: boolean }) => {
        calls.push(options?.fresh);
        return options?.fresh ? found('new', false) : found('old', true);
      },
    };
    expect(await authenticateWebhook(lookup, 'zoom', 'account:A', secretIs('new'))).toBe(TENANT);
    expect(calls).toEqual([undefined, true]);
  });

  it('refuses without a second read when what refused it was read just now', async () => {
    let reads = 0;
    const lookup = {
      find: async () => {
        reads += 1;
        return found('old', false);
      },
    };
    await expect(authenticateWebhook(lookup, 'zoom', 'account:A', secretIs('new'))).rejects.toThrow(
      WebhookRejectedError,
    );
    expect(reads).toBe(1);
  });

  it('refuses when the stored integration refuses too, and passes other errors through untouched', async () => {
    let reads = 0;
    const lookup = {
      find: async () => {
        reads += 1;
        return found('old', true);
      },
    };
    await expect(authenticateWebhook(lookup, 'zoom', 'account:A', secretIs('new'))).rejects.toThrow(
      WebhookRejectedError,
    );
    expect(reads).toBe(2);
    const boom = new Error('boom');
    await expect(
      authenticateWebhook(lookup, 'zoom', 'account:A', () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(reads).toBe(3);
  });
});
