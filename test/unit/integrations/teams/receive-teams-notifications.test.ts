import { describe, expect, it } from 'vitest';
import { cachedWebhookIntegrations } from '../../../../functions/adapters/meeting-platforms/webhook-integration-cache';
import { WebhookRejectedError } from '../../../../functions/core/platforms/errors';
import type { PlatformIntegration } from '../../../../functions/core/platforms/platform-integration';
import { webhookIntegrationLookup } from '../../../../functions/core/platforms/webhook-integration';
import { receiveTeamsNotifications } from '../../../../functions/integrations/teams/receive-teams-notifications';
import { ADVISOR, NOW, platformDeps, TENANT } from '../../../fakes/platform-deps';

const AZURE_TENANT = '0b5f3e1c-1111-4a2b-9c3d-000000000001';
const ORGANIZER = '7e4a2b9c-2222-4c3d-8e4f-000000000002';
const OLD_STATE = 'old-client-state-0123456789abcdef0123';
const NEW_STATE = 'new-client-state-0123456789abcdef0123';

function teamsIntegration(clientState: string): PlatformIntegration {
  return {
    tenantId: TENANT,
    platform: 'teams',
    integrationId: 'int-teams-1',
    credentials: {
      platform: 'teams',
      azureTenantId: AZURE_TENANT,
      clientId: '3c2d1e0f-3333-4b5c-9d6e-000000000003',
      clientSecret: 'app-secret',
      clientState,
      advisorMappings: [{ platformUser: ORGANIZER, advisorUserId: ADVISOR }],
    },
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    updatedBy: 'admin-1',
  };
}

const notification = (transcriptId: string, clientState: string) =>
  JSON.stringify({
    value: [
      {
        subscriptionId: 'sub-1',
        clientState,
        changeType: 'created',
        resource: `users('${ORGANIZER}')/onlineMeetings('MSo${transcriptId}')/transcripts('${transcriptId}')`,
        tenantId: AZURE_TENANT,
        resourceData: { '@odata.type': '#Microsoft.Graph.callTranscript', id: transcriptId },
      },
    ],
  });

/** One warm instance: the cached lookup kept across deliveries, a clock for its TTL. */
function warmInstance() {
  const t = platformDeps({ integrations: [teamsIntegration(OLD_STATE)] });
  let cacheNow = 0;
  const integrations = cachedWebhookIntegrations(
    webhookIntegrationLookup({ routes: t.routeStore, integrations: t.integrationStore }),
    { ttlMs: 30_000, maxEntries: 10, now: () => cacheNow },
  );
  const receive = (body: string) =>
    receiveTeamsNotifications(body, {
      integrations,
      subscriptions: { get: async () => undefined },
      intake: t.deps,
      clock: { now: () => NOW },
    });
  return {
    ...t,
    receive,
    rotate: () => t.saveIntegration(teamsIntegration(NEW_STATE)),
    advance: (ms: number) => {
      cacheNow += ms;
    },
  };
}

describe('receiveTeamsNotifications in a warm instance', () => {
  it('takes a verified transcript in as one meeting, and refuses a batch that does not verify', async () => {
    const w = warmInstance();
    expect((await w.receive(notification('t1', OLD_STATE))).outcomes).toMatchObject([
      { outcome: 'created', tenantId: TENANT },
    ]);
    await expect(w.receive(notification('t2', NEW_STATE))).rejects.toBeInstanceOf(WebhookRejectedError);
    expect(w.meetings.size).toBe(1);
  });

  it('verifies a clientState an admin just changed at once (the batch is checked again, fresh), then refuses the old one', async () => {
    const w = warmInstance();
    await w.receive(notification('t1', OLD_STATE));
    w.rotate();
    expect((await w.receive(notification('t2', NEW_STATE))).outcomes).toMatchObject([{ outcome: 'created' }]);
    await expect(w.receive(notification('t3', OLD_STATE))).rejects.toBeInstanceOf(WebhookRejectedError);
    expect(w.meetings.size).toBe(2);
  });

  it('honours the old clientState it remembers for at most the cache TTL', async () => {
    const w = warmInstance();
    await w.receive(notification('t1', OLD_STATE));
    w.rotate();
    w.advance(29_999);
    expect((await w.receive(notification('t2', OLD_STATE))).outcomes).toMatchObject([{ outcome: 'created' }]);
    w.advance(1);
    await expect(w.receive(notification('t3', OLD_STATE))).rejects.toBeInstanceOf(WebhookRejectedError);
    expect(w.meetings.size).toBe(2);
  });
});
