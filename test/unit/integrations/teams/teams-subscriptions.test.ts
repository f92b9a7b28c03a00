import { describe, expect, it } from 'vitest';
import type { TeamsFirmConnection } from '../../../../functions/integrations/teams/graph-subscriptions-port';
import { handleGraphLifecycle } from '../../../../functions/integrations/teams/handle-graph-lifecycle';
import { MISSED_RECONCILE_SETTINGS } from '../../../../functions/integrations/teams/reconcile-missed-transcripts';
import { renewTeamsSubscriptions } from '../../../../functions/integrations/teams/renew-teams-subscriptions';
import { subscribeTeamsUsers } from '../../../../functions/integrations/teams/subscribe-teams-users';
import type {
  TeamsSubscription,
  TeamsSubscriptionStore,
} from '../../../../functions/integrations/teams/teams-subscription';
import { platformDeps } from '../../../fakes/platform-deps';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-10T00:00:00.000Z');
const settings = {
  notificationUrl: 'https://api.example.com/webhooks/teams',
  lifecycleNotificationUrl: 'https://api.example.com/webhooks/teams/lifecycle',
  lifetimeMinutes: 4200,
  renewWithinMinutes: 720,
  batchSize: 100,
};

function memoryStore(): TeamsSubscriptionStore & { all: Map<string, TeamsSubscription> } {
  const all = new Map<string, TeamsSubscription>();
  return {
    all,
    get: async (id) => all.get(id),
    listForFirm: async (firmId) => [...all.values()].filter((s) => s.firmId === firmId),
    put: async (s) => void all.set(s.subscriptionId, s),
    delete: async (s) => void all.delete(s.subscriptionId),
    markReconciled: async (id, at) => {
      const s = all.get(id);
      if (s && !(s.reconciledAt && s.reconciledAt >= at)) all.set(id, { ...s, reconciledAt: at });
    },
    expiringBefore: async (before, limit) =>
      [...all.values()]
        .filter((s) => s.expiresAt <= before)
        .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
        .slice(0, limit),
  };
}

/** Graph as far as subscriptions go: ids it knows, what was asked of it, and failures on demand. */
function fakeGraph() {
  const known = new Map<string, string>();
  const calls: string[] = [];
  let next = 0;
  let failing = false;
  const api: TeamsFirmConnection['graph'] = {
    async createSubscription(request) {
      calls.push(`create ${request.resource} ${request.clientState}`);
      if (failing) throw new Error('Microsoft Graph subscription create failed: HTTP 503');
      const id = `sub-${++next}`;
      known.set(id, request.expirationDateTime);
      return { id, expirationDateTime: request.expirationDateTime };
    },
    async renewSubscription(id, expirationDateTime) {
      calls.push(`renew ${id}`);
      if (failing) throw new Error('Microsoft Graph subscription renew failed: HTTP 503');
      if (!known.has(id)) return 'gone';
      known.set(id, expirationDateTime);
      return { id, expirationDateTime };
    },
    async deleteSubscription(id) {
      known.delete(id);
    },
    async transcriptsByOrganizer(request) {
      calls.push(`list ${request.userId}`);
      return { transcripts: [], truncated: false };
    },
  };
  return {
    api,
    known,
    calls,
    fail: (on: boolean) => {
      failing = on;
    },
  };
}

function setup() {
  let now = T0;
  const subscriptions = memoryStore();
  const graph = fakeGraph();
  const connection: TeamsFirmConnection = {
    firmId: 'firm-a',
    graphTenantId: 'tenant-a',
    clientState: 'firm-a-client-state-0123456789abcdef',
    credentials: {
      platform: 'teams',
      azureTenantId: '00000000-0000-4000-8000-00000000000a',
      clientId: '00000000-0000-4000-8000-00000000000b',
      clientSecret: 'secret',
      clientState: 'firm-a-client-state-0123456789abcdef',
      advisorMappings: [{ platformUser: 'user-1', advisorUserId: 'adv-1' }],
    },
    graph: graph.api,
  };
  const connections = new Map([['firm-a', connection]]);
  const deps = {
    subscriptions,
    clock: { now: () => now },
    settings,
    connectionOf: async (firmId: string) => connections.get(firmId),
    reconcile: { subscriptions, intake: platformDeps().deps, settings: MISSED_RECONCILE_SETTINGS },
  };
  return { deps, graph, connection, connections, subscriptions, advance: (ms: number) => (now += ms) };
}

describe('subscribeTeamsUsers', () => {
  it('creates one subscription per uncovered organizer with the firm’s clientState and the lifecycle URL', async () => {
    const { deps, graph, connection, subscriptions } = setup();
    const first = await subscribeTeamsUsers(
      { connection, graphUserIds: ['user-1', 'user-2', 'user-1'] },
      deps,
    );
    expect(first.created.map((s) => [s.graphUserId, s.resource])).toEqual([
      ['user-1', 'users/user-1/onlineMeetings/getAllTranscripts'],
      ['user-2', 'users/user-2/onlineMeetings/getAllTranscripts'],
    ]);
    expect(first.created[0]?.expiresAt).toBe(new Date(T0 + 4200 * 60_000).toISOString());
    expect(graph.calls).toEqual([
      `create users/user-1/onlineMeetings/getAllTranscripts ${connection.clientState}`,
      `create users/user-2/onlineMeetings/getAllTranscripts ${connection.clientState}`,
    ]);
    const again = await subscribeTeamsUsers({ connection, graphUserIds: ['USER-1', 'user-3'] }, deps);
    expect(again.existing.map((s) => s.graphUserId)).toEqual(['user-1']);
    expect(again.created.map((s) => s.graphUserId)).toEqual(['user-3']);
    expect(subscriptions.all.size).toBe(3);
  });
});

describe('renewTeamsSubscriptions', () => {
  it('renews only subscriptions inside the window, extending them by the lifetime', async () => {
    const { deps, graph, connection, subscriptions, advance } = setup();
    await subscribeTeamsUsers({ connection, graphUserIds: ['user-1'] }, deps);
    expect(await renewTeamsSubscriptions(deps)).toEqual({ renewed: 0, recreated: 0, dropped: 0, failed: [] });
    advance(4200 * 60_000 - 11 * HOUR); // 11 h left, inside the 12 h window
    expect(await renewTeamsSubscriptions(deps)).toMatchObject({ renewed: 1 });
    const [renewed] = subscriptions.all.values();
    expect(renewed?.expiresAt).toBe(new Date(T0 + 2 * 4200 * 60_000 - 11 * HOUR).toISOString());
    expect(graph.calls.at(-1)).toBe(`renew ${renewed?.subscriptionId}`);
  });

  it('creates a subscription Graph lost again, and drops those of a firm that removed Teams', async () => {
    const { deps, graph, connection, connections, subscriptions, advance } = setup();
    await subscribeTeamsUsers({ connection, graphUserIds: ['user-1'] }, deps);
    const [own] = await subscriptions.listForFirm('firm-a');
    if (own === undefined) throw new Error('no subscription');
    await subscriptions.put({
      ...own,
      subscriptionId: 'sub-of-firm-b',
      firmId: 'firm-b',
    });
    graph.known.clear();
    advance(4200 * 60_000);
    const outcome = await renewTeamsSubscriptions(deps);
    expect(outcome).toMatchObject({ renewed: 0, recreated: 1, dropped: 1, failed: [] });
    expect([...subscriptions.all.values()].map((s) => [s.subscriptionId, s.graphUserId])).toEqual([
      ['sub-2', 'user-1'],
    ]);
    expect(connections.has('firm-b')).toBe(false);
  });

  it('keeps going past a failing firm and leaves its subscription for the next run', async () => {
    const { deps, graph, connection, subscriptions, advance } = setup();
    await subscribeTeamsUsers({ connection, graphUserIds: ['user-1'] }, deps);
    advance(4200 * 60_000);
    graph.fail(true);
    const outcome = await renewTeamsSubscriptions(deps);
    expect(outcome.failed).toEqual([
      {
        subscriptionId: 'sub-1',
        firmId: 'firm-a',
        reason: 'Microsoft Graph subscription renew failed: HTTP 503',
      },
    ]);
    expect(subscriptions.all.has('sub-1')).toBe(true);
    graph.fail(false);
    expect(await renewTeamsSubscriptions(deps)).toMatchObject({ renewed: 1, failed: [] });
  });
});

describe('handleGraphLifecycle', () => {
  const lifecycle = (event: string, overrides: Record<string, unknown> = {}) => ({
    subscriptionId: 'sub-1',
    tenantId: 'tenant-a',
    clientState: 'firm-a-client-state-0123456789abcdef',
    lifecycleEvent: event,
    ...overrides,
  });

  it('renews on reauthorizationRequired, recreates on subscriptionRemoved, reconciles on missed', async () => {
    const { deps, graph, connection, subscriptions } = setup();
    await subscribeTeamsUsers({ connection, graphUserIds: ['user-1'] }, deps);
    expect(
      await handleGraphLifecycle([lifecycle('reauthorizationRequired'), lifecycle('missed')], deps),
    ).toMatchObject({
      rejected: 0,
      renewed: 1,
      recreated: 0,
      missed: 1,
      reconcile: { subscriptions: 1, listed: 0, failed: 0 },
      ignored: 0,
    });
    expect(graph.calls.at(-1)).toBe('list user-1');
    graph.known.delete('sub-1');
    expect(await handleGraphLifecycle([lifecycle('subscriptionRemoved')], deps)).toMatchObject({
      recreated: 1,
    });
    expect([...subscriptions.all.keys()]).toEqual(['sub-2']);
  });

  it('does nothing for a wrong or missing clientState, another tenant or an unknown subscription', async () => {
    const { deps, graph, connection } = setup();
    await subscribeTeamsUsers({ connection, graphUserIds: ['user-1'] }, deps);
    const before = graph.calls.length;
    const outcome = await handleGraphLifecycle(
      [
        lifecycle('reauthorizationRequired', { clientState: 'wrong-client-state-0123456789abcdef' }),
        lifecycle('reauthorizationRequired', { clientState: undefined }),
        lifecycle('reauthorizationRequired', { tenantId: 'tenant-b' }),
        lifecycle('subscriptionRemoved', { subscriptionId: 'sub-unknown' }),
      ],
      deps,
    );
    expect(outcome.rejected).toBe(4);
    expect(graph.calls.length).toBe(before);
  });
});
