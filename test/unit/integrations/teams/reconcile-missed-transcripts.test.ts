import { describe, expect, it } from 'vitest';
import { PlatformFetchError } from '../../../../functions/core/platforms/errors';
import { intakePlatformMeeting } from '../../../../functions/core/platforms/intake-platform-meeting';
import type {
  GraphTranscriptSummary,
  TeamsFirmConnection,
} from '../../../../functions/integrations/teams/graph-subscriptions-port';
import { handleGraphLifecycle } from '../../../../functions/integrations/teams/handle-graph-lifecycle';
import { teamsMeetingEvent } from '../../../../functions/integrations/teams/receive-teams-notifications';
import {
  MISSED_RECONCILE_SETTINGS,
  windowStart,
} from '../../../../functions/integrations/teams/reconcile-missed-transcripts';
import type { TeamsSubscription } from '../../../../functions/integrations/teams/teams-subscription';
import { verifyGraphNotifications } from '../../../../functions/integrations/teams/verify-graph-notifications';
import { ADVISOR, NOW, platformDeps, TENANT } from '../../../fakes/platform-deps';

const HOUR = 3_600_000;
const CLIENT_STATE = 'firm-a-client-state-0123456789abcdef';
const USER = '6e3f1c2a-1b2c-4d5e-8f90-0123456789ab';

function setup(options: { transcripts?: GraphTranscriptSummary[]; reconciledAt?: string } = {}) {
  const intake = platformDeps();
  let now = NOW;
  intake.setNow(now);
  const subscription: TeamsSubscription = {
    subscriptionId: 'sub-1',
    firmId: TENANT,
    graphTenantId: 'tenant-a',
    graphUserId: USER,
    resource: `users/${USER}/onlineMeetings/getAllTranscripts`,
    expiresAt: new Date(NOW + 48 * HOUR).toISOString(),
    createdAt: new Date(NOW - 72 * HOUR).toISOString(),
    ...(options.reconciledAt ? { reconciledAt: options.reconciledAt } : {}),
  };
  const stored = new Map([[subscription.subscriptionId, subscription]]);
  const listCalls: { userId: string; createdSince: string; pageSize: number; maxTranscripts: number }[] = [];
  let listing: () => Promise<{ transcripts: GraphTranscriptSummary[]; truncated: boolean }> = async () => ({
    transcripts: options.transcripts ?? [],
    truncated: false,
  });
  const unused = async (): Promise<never> => {
    throw new Error('not expected');
  };
  const connection: TeamsFirmConnection = {
    firmId: TENANT,
    graphTenantId: 'tenant-a',
    clientState: CLIENT_STATE,
    credentials: {
      platform: 'teams',
      azureTenantId: '00000000-0000-4000-8000-00000000000a',
      clientId: '00000000-0000-4000-8000-00000000000b',
      clientSecret: 'secret',
      clientState: CLIENT_STATE,
      advisorMappings: [{ platformUser: USER, advisorUserId: ADVISOR }],
    },
    graph: {
      createSubscription: unused,
      renewSubscription: unused,
      deleteSubscription: unused,
      async transcriptsByOrganizer(request) {
        listCalls.push(request);
        return listing();
      },
    },
  };
  const subscriptions = {
    get: async (id: string) => stored.get(id),
    expiringBefore: async () => [],
    put: async (s: TeamsSubscription) => void stored.set(s.subscriptionId, s),
    delete: async (s: TeamsSubscription) => void stored.delete(s.subscriptionId),
    listForFirm: async () => [...stored.values()],
    markReconciled: async (id: string, at: string) => {
      const s = stored.get(id);
      if (s) stored.set(id, { ...s, reconciledAt: at });
    },
  };
  const clock = { now: () => now };
  const deps = {
    subscriptions,
    clock,
    settings: {
      notificationUrl: 'https://api.example.com/webhooks/teams',
      lifecycleNotificationUrl: 'https://api.example.com/webhooks/teams/lifecycle',
      lifetimeMinutes: 4200,
      renewWithinMinutes: 720,
      batchSize: 100,
    },
    connectionOf: async (firmId: string) => (firmId === TENANT ? connection : undefined),
    reconcile: { subscriptions, intake: intake.deps, settings: { ...MISSED_RECONCILE_SETTINGS } },
  };
  return {
    deps,
    intake,
    stored,
    listCalls,
    setListing: (next: typeof listing) => {
      listing = next;
    },
    advance: (ms: number) => {
      now += ms;
      intake.setNow(now);
    },
  };
}

const missed = (overrides: Record<string, unknown> = {}) => ({
  subscriptionId: 'sub-1',
  tenantId: 'tenant-a',
  clientState: CLIENT_STATE,
  lifecycleEvent: 'missed',
  ...overrides,
});

const transcript = (id: string, overrides: Partial<GraphTranscriptSummary> = {}): GraphTranscriptSummary => ({
  id,
  meetingId: `MSo${id}`,
  createdDateTime: new Date(NOW - HOUR).toISOString(),
  organizerId: USER,
  ...overrides,
});

describe('reconciling a missed lifecycle event', () => {
  it('takes in each listed transcript as a notification would, and a notified one is a duplicate', async () => {
    const { deps, intake, stored, listCalls } = setup({
      transcripts: [transcript('t1'), transcript('t2')],
    });
    // t1's change notification did arrive: admitted through the notification path.
    const notified = await verifyGraphNotifications(
      [
        {
          subscriptionId: 'sub-1',
          clientState: CLIENT_STATE,
          changeType: 'created',
          resource: `users('${USER}')/onlineMeetings('MSot1')/transcripts('t1')`,
          tenantId: 'tenant-a',
        },
      ],
      {
        firms: { byGraphTenant: async () => ({ firmId: TENANT, clientState: CLIENT_STATE }) },
        subscriptions: deps.subscriptions,
      },
    );
    const [event] = notified.events;
    if (!event) throw new Error('not verified');
    const credentials = (await deps.connectionOf(TENANT))?.credentials;
    if (!credentials) throw new Error('no connection');
    expect(
      await intakePlatformMeeting({ event: teamsMeetingEvent(event, NOW), credentials }, intake.deps),
    ).toMatchObject({ outcome: 'created' });

    const outcome = await handleGraphLifecycle([missed()], deps);
    expect(outcome).toMatchObject({
      missed: 1,
      reconcile: { subscriptions: 1, listed: 2, created: 1, duplicate: 1, failed: 0, truncated: 0 },
      reconcileFailures: [],
    });
    expect(intake.meetings.size).toBe(2);
    expect([...intake.intakes.values()].map((i) => i.descriptor)).toContainEqual({
      platform: 'teams',
      userId: USER,
      onlineMeetingId: 'MSot2',
      transcriptId: 't2',
    });
    // Dated by the transcript's creation, not by the reconcile.
    expect([...intake.meetings.values()].map((m) => m.meetingDate)).toContain(
      new Date(NOW - HOUR).toISOString().slice(0, 10),
    );
    expect(listCalls[0]).toMatchObject({
      userId: USER,
      pageSize: MISSED_RECONCILE_SETTINGS.pageSize,
      maxTranscripts: MISSED_RECONCILE_SETTINGS.maxTranscripts,
      // Never reconciled: 24 h back (the subscription is older).
      createdSince: new Date(NOW - 24 * HOUR).toISOString(),
    });
    expect(stored.get('sub-1')?.reconciledAt).toBe(new Date(NOW).toISOString());

    // A second missed: everything is a duplicate, nothing new.
    const again = await handleGraphLifecycle([missed(), missed()], deps);
    expect(again.reconcile).toMatchObject({ subscriptions: 1, created: 0, duplicate: 2 });
    expect(intake.meetings.size).toBe(2);
    // A duplicate still waiting for its file restarts its intake, as a redelivery does (a no-op when running).
    expect(new Set(intake.starts.map((s) => s.meetingId))).toEqual(new Set(intake.meetings.keys()));
  });

  it('skips ids Graph’s id rules refuse and transcripts of another organizer, and counts unmapped hosts', async () => {
    const { deps, intake } = setup({
      transcripts: [
        transcript('..'),
        transcript('t3', { meetingId: 'm?x=1' }),
        transcript('t4', { organizerId: '11111111-2222-4333-8444-555555555555' }),
        transcript('t5', { createdDateTime: undefined }),
      ],
    });
    const outcome = await handleGraphLifecycle([missed()], deps);
    expect(outcome.reconcile).toMatchObject({ listed: 4, skipped: 3, created: 1 });
    expect(intake.meetings.size).toBe(1);
  });

  it('stops at the time budget, counts the rest truncated or deferred, and keeps the window where it was', async () => {
    const { deps, intake, stored, advance } = setup({
      transcripts: [transcript('t1'), transcript('t2'), transcript('t3')],
    });
    deps.reconcile.settings.budgetMs = 1_000;
    // Each admission "takes" 600 ms of the clock.
    const admit = intake.deps.admissions.admit;
    intake.deps.admissions.admit = async (input) => {
      advance(600);
      return admit(input);
    };
    stored.set('sub-2', { ...(stored.get('sub-1') as TeamsSubscription), subscriptionId: 'sub-2' });
    const outcome = await handleGraphLifecycle([missed(), missed({ subscriptionId: 'sub-2' })], deps);
    expect(outcome.reconcile).toMatchObject({ created: 2, truncated: 1, deferred: 1 });
    expect(stored.get('sub-1')?.reconciledAt).toBeUndefined();
  });

  it('does not move the window when Graph had more than the cap', async () => {
    const { deps, stored, setListing } = setup();
    setListing(async () => ({ transcripts: [transcript('t1')], truncated: true }));
    const outcome = await handleGraphLifecycle([missed()], deps);
    expect(outcome.reconcile).toMatchObject({ created: 1, truncated: 1 });
    expect(stored.get('sub-1')?.reconciledAt).toBeUndefined();
  });

  it('counts and reports a Graph failure without throwing, and the window stays', async () => {
    const { deps, stored, intake, setListing } = setup();
    setListing(async () => {
      throw new PlatformFetchError(
        'Microsoft Graph transcript list failed: HTTP 403 (the app lacks the permission or the application access policy)',
        { status: 403 },
      );
    });
    const outcome = await handleGraphLifecycle([missed()], deps);
    expect(outcome.reconcile).toMatchObject({ subscriptions: 0, failed: 1 });
    expect(outcome.reconcileFailures).toEqual([
      {
        subscriptionId: 'sub-1',
        firmId: TENANT,
        reason: expect.stringContaining('HTTP 403'),
      },
    ]);
    expect(stored.get('sub-1')?.reconciledAt).toBeUndefined();
    expect(intake.meetings.size).toBe(0);
  });

  it('counts an admission failure and reports it, without throwing', async () => {
    const { deps, intake } = setup({ transcripts: [transcript('t1')] });
    intake.deps.admissions.admit = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const outcome = await handleGraphLifecycle([missed()], deps);
    expect(outcome.reconcile).toMatchObject({ failed: 1, created: 0 });
    expect(outcome.reconcileFailures[0]?.reason).toBe('DynamoDB unavailable');
  });

  it('does nothing for an unverified missed item: wrong or missing clientState, other tenant, unknown id', async () => {
    const { deps, intake, listCalls } = setup({ transcripts: [transcript('t1')] });
    const outcome = await handleGraphLifecycle(
      [
        missed({ clientState: 'wrong-client-state-0123456789abcdef' }),
        missed({ clientState: undefined }),
        missed({ tenantId: 'tenant-b' }),
        missed({ subscriptionId: 'sub-unknown' }),
      ],
      deps,
    );
    expect(outcome).toMatchObject({ rejected: 4, missed: 0, reconcile: { subscriptions: 0 } });
    expect(listCalls).toEqual([]);
    expect(intake.meetings.size).toBe(0);
  });
});

describe('the reconcile window', () => {
  const settings = MISSED_RECONCILE_SETTINGS;
  const now = Date.parse('2026-01-10T12:00:00.000Z');

  it('starts at the last reconcile less Graph’s 4 h of retries', () => {
    const start = windowStart(
      { createdAt: '2026-01-01T00:00:00.000Z', reconciledAt: '2026-01-10T10:00:00.000Z' },
      now,
      settings,
    );
    expect(new Date(start).toISOString()).toBe('2026-01-10T06:00:00.000Z');
  });

  it('never before the subscription (less clock skew) and never more than 24 h back', () => {
    expect(
      new Date(windowStart({ createdAt: '2026-01-10T11:00:00.000Z' }, now, settings)).toISOString(),
    ).toBe('2026-01-10T10:55:00.000Z');
    expect(
      new Date(
        windowStart(
          { createdAt: '2026-01-01T00:00:00.000Z', reconciledAt: '2026-01-02T00:00:00.000Z' },
          now,
          settings,
        ),
      ).toISOString(),
    ).toBe('2026-01-09T12:00:00.000Z');
  });
});
