import { describe, expect, it } from 'vitest';
import { GraphNotificationCollectionSchema } from '../../../../functions/integrations/teams/graph-notification';
import { parseGraphArtifactResource } from '../../../../functions/integrations/teams/graph-resource';
import type { TeamsSubscription } from '../../../../functions/integrations/teams/teams-subscription';
import {
  teamsEventId,
  verifyGraphNotifications,
} from '../../../../functions/integrations/teams/verify-graph-notifications';
import { constantTimeEqual } from '../../../../functions/platform/crypto/constant-time-equal';

const SECRET = 'client-state-secret-of-firm-a-0123';
const subscription: TeamsSubscription = {
  subscriptionId: 'sub-a',
  firmId: 'firm-a',
  graphTenantId: 'tenant-a',
  graphUserId: 'user-a',
  resource: 'users/user-a/onlineMeetings/getAllTranscripts',
  expiresAt: '2026-01-03T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const firms: Record<string, { firmId: string; clientState: string }> = {
  'tenant-a': { firmId: 'firm-a', clientState: SECRET },
  'tenant-b': { firmId: 'firm-b', clientState: 'client-state-secret-of-firm-b-0123' },
};
const deps = {
  firms: { byGraphTenant: async (tenant: string) => firms[tenant] },
  subscriptions: {
    get: async (id: string) => (id === subscription.subscriptionId ? subscription : undefined),
  },
};
const item = (overrides: Record<string, unknown> = {}) => ({
  subscriptionId: 'sub-a',
  clientState: SECRET,
  changeType: 'created',
  resource: "users('user-a')/onlineMeetings('MSo1N2E=')/transcripts('VHJ/0Q==')",
  tenantId: 'tenant-a',
  resourceData: { '@odata.type': '#Microsoft.Graph.callTranscript', id: 'VHJ/0Q==' },
  ...overrides,
});

describe('constantTimeEqual', () => {
  it('matches equal strings and nothing else, an absent value included', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abd', 'abc')).toBe(false);
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual(undefined, 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(false);
  });
});

describe('parseGraphArtifactResource', () => {
  it('reads the quoted and slash forms of transcript and recording resources', () => {
    expect(parseGraphArtifactResource("users('u1')/onlineMeetings('m/1=')/transcripts('t1')")).toEqual({
      kind: 'transcript',
      userId: 'u1',
      meetingId: 'm/1=',
      artifactId: 't1',
    });
    expect(parseGraphArtifactResource("communications/onlineMeetings('m1')/recordings('r1')")).toEqual({
      kind: 'recording',
      userId: undefined,
      meetingId: 'm1',
      artifactId: 'r1',
    });
    expect(parseGraphArtifactResource('users/u1/onlineMeetings/m1/transcripts/t1')).toMatchObject({
      userId: 'u1',
      meetingId: 'm1',
      artifactId: 't1',
    });
  });

  it('refuses anything that could steer the Graph path or host', () => {
    for (const resource of [
      'https://evil.example/users/u/onlineMeetings/m/transcripts/t',
      "users('u')/onlineMeetings('..')/transcripts('t')",
      "users('u')/onlineMeetings('m')/transcripts('t')?x=1",
      "users('u')/onlineMeetings('m')/transcripts('t')/content",
      "users('u')/onlineMeetings('m')/attendanceReports('t')",
      "users('u')/onlineMeetings('m%2F..')/transcripts('t')",
      "users('u')/onlineMeetings('m')/transcripts('t'",
      'users/u/onlineMeetings/m/x/transcripts/t',
    ]) {
      expect(parseGraphArtifactResource(resource), resource).toBeUndefined();
    }
  });
});

describe('GraphNotificationCollectionSchema', () => {
  it('accepts a documented notification and refuses a body without value[]', () => {
    expect(GraphNotificationCollectionSchema.safeParse({ value: [item()] }).success).toBe(true);
    const missing = GraphNotificationCollectionSchema.safeParse({ values: [item()] });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['value']);
    const noTenant = GraphNotificationCollectionSchema.safeParse({ value: [item({ tenantId: undefined })] });
    expect(noTenant.error?.issues[0]?.path).toEqual(['value', 0, 'tenantId']);
  });
});

describe('verifyGraphNotifications', () => {
  it('turns a verified created transcript into an event for the tenant’s firm', async () => {
    const batch = await verifyGraphNotifications([item()], deps);
    expect(batch).toMatchObject({ rejected: 0, ignored: 0 });
    expect(batch.events).toEqual([
      {
        firmId: 'firm-a',
        graphTenantId: 'tenant-a',
        subscriptionId: 'sub-a',
        eventId: expect.stringMatching(/^teams:[A-Za-z0-9_-]{43}$/),
        artifact: { kind: 'transcript', userId: 'user-a', meetingId: 'MSo1N2E=', artifactId: 'VHJ/0Q==' },
      },
    ]);
  });

  it('gives a redelivery the same event id, another artifact another', async () => {
    const [first] = (await verifyGraphNotifications([item()], deps)).events;
    const [again] = (await verifyGraphNotifications([item({ id: 'another-delivery' })], deps)).events;
    expect(again?.eventId).toBe(first?.eventId);
    const other = parseGraphArtifactResource("users('user-a')/onlineMeetings('MSo1N2E=')/transcripts('T2')");
    expect(other && teamsEventId('tenant-a', other)).not.toBe(first?.eventId);
  });

  it('drops items with a wrong, missing or another firm’s clientState, or a tenant no firm connected', async () => {
    const batch = await verifyGraphNotifications(
      [
        item({ clientState: `${SECRET}x` }),
        item({ clientState: SECRET.slice(0, -1) }),
        item({ clientState: undefined }),
        item({ clientState: 'client-state-secret-of-firm-b-0123' }),
        item({ tenantId: 'tenant-b' }),
        item({ tenantId: 'tenant-unknown', clientState: 'no-firm-no-secret-matches-this-value' }),
        item(),
      ],
      deps,
    );
    expect(batch.rejected).toBe(6);
    expect(batch.events.map((e) => e.firmId)).toEqual(['firm-a']);
  });

  it('routes each item to its own tenant’s firm in a mixed batch', async () => {
    const batch = await verifyGraphNotifications(
      [item(), item({ tenantId: 'TENANT-B', clientState: 'client-state-secret-of-firm-b-0123' })],
      deps,
    );
    expect(batch.events.map((e) => [e.firmId, e.graphTenantId])).toEqual([
      ['firm-a', 'tenant-a'],
      ['firm-b', 'tenant-b'],
    ]);
  });

  it('ignores verified updates, deletions and resources that are not artifacts', async () => {
    const batch = await verifyGraphNotifications(
      [
        item({ changeType: 'updated' }),
        item({ changeType: 'deleted' }),
        item({ resource: 'chats/abc/messages/1' }),
      ],
      deps,
    );
    expect(batch).toEqual({ events: [], rejected: 0, ignored: 3 });
  });

  it('ignores an organizer-less resource of a subscription we do not know', async () => {
    const batch = await verifyGraphNotifications(
      [item({ subscriptionId: 'sub-x', resource: "communications/onlineMeetings('m1')/transcripts('t1')" })],
      deps,
    );
    expect(batch).toEqual({ events: [], rejected: 0, ignored: 1 });
  });

  it('falls back to the subscription’s user when the resource names none', async () => {
    const batch = await verifyGraphNotifications(
      [item({ resource: "communications/onlineMeetings('m1')/recordings('r1')" })],
      deps,
    );
    expect(batch.events[0]?.artifact).toEqual({
      kind: 'recording',
      userId: 'user-a',
      meetingId: 'm1',
      artifactId: 'r1',
    });
  });
});
