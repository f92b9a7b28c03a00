import type { Platform } from '../../functions/contracts/platform';
import type { User } from '../../functions/core/identity/user';
import type { Meeting } from '../../functions/core/meetings/meeting';
import type { MeetingExpectation } from '../../functions/core/meetings/ports';
import type { PlatformIntegration, PlatformRoute } from '../../functions/core/platforms/platform-integration';
import { integrationRouteKeys } from '../../functions/core/platforms/platform-routes';
import type {
  PlatformIntake,
  PlatformIntakeDeps,
  PlatformIntakeInput,
} from '../../functions/core/platforms/ports';
import { ConflictError } from '../../functions/platform/errors';

export const NOW = Date.UTC(2026, 0, 21, 1, 30);
export const TENANT = 'firm-a';
export const ADVISOR = 'adv-1';
export const ZOOM_SECRET = 'zoom-secret-token-0123456789';
export const ZOOM_ACCOUNT = 'AcctAAA111';

/** Yields to the event loop, so concurrent calls interleave at every store access as they would over the network. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

export function zoomIntegration(overrides: Partial<PlatformIntegration> = {}): PlatformIntegration {
  return {
    tenantId: TENANT,
    platform: 'zoom',
    integrationId: 'int-zoom-1',
    credentials: {
      platform: 'zoom',
      accountId: ZOOM_ACCOUNT,
      webhookSecretToken: ZOOM_SECRET,
      advisorMappings: [{ platformUser: 'sarah@firm.example', advisorUserId: ADVISOR }],
    },
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    updatedBy: 'admin-1',
    ...overrides,
  };
}

/**
 * In-memory versions of everything platform intake touches, with the same conditional semantics as the
 * DynamoDB adapters (create-if-absent, claim-if-absent, optimistic replace).
 */
export function platformDeps(options: { users?: User[]; integrations?: PlatformIntegration[] } = {}) {
  const meetings = new Map<string, Meeting>();
  const claims = new Map<string, string>();
  const intakes = new Map<string, PlatformIntake>();
  const starts: PlatformIntakeInput[] = [];
  const integrations = new Map<string, PlatformIntegration>();
  const routes = new Map<string, PlatformRoute>();
  for (const integration of options.integrations ?? [zoomIntegration()]) {
    integrations.set(`${integration.tenantId}/${integration.platform}`, integration);
    for (const key of integrationRouteKeys(integration.integrationId, integration.credentials)) {
      routes.set(`${integration.platform}/${key}`, {
        platform: integration.platform,
        tenantId: integration.tenantId,
        integrationId: integration.integrationId,
      });
    }
  }
  const users = new Map(
    (
      options.users ?? [
        { userId: ADVISOR, tenantId: TENANT, role: 'advisor', status: 'active' } as unknown as User,
      ]
    ).map((u) => [u.userId, u]),
  );
  let uuids = 0;
  let now = NOW;
  const deps: PlatformIntakeDeps = {
    // All or nothing, like the transaction: the claim, the owner's standing, the meeting, the intake item.
    admissions: {
      admit: async (input) => {
        await tick();
        const { meeting, intake } = input;
        const key = `${meeting.tenantId}/${intake.platform}/${input.eventId}`;
        const existing = claims.get(key);
        if (existing) return { outcome: 'duplicate', meetingId: existing };
        const owner = users.get(meeting.ownerUserId);
        if (owner?.status !== 'active' || !input.ownerRoles.includes(owner.role)) {
          return { outcome: 'owner_ineligible' };
        }
        if (meetings.has(meeting.meetingId)) throw new ConflictError('meeting already exists.');
        claims.set(key, meeting.meetingId);
        meetings.set(meeting.meetingId, meeting);
        intakes.set(meeting.meetingId, intake);
        return { outcome: 'admitted' };
      },
    },
    meetings: {
      get: async (_tenant, id) => {
        await tick();
        return meetings.get(id);
      },
    },
    intakes: {
      put: async (intake) => {
        await tick();
        intakes.set(intake.meetingId, intake);
      },
    },
    intake: { start: async (input) => void starts.push(input) },
    clock: { now: () => now },
    ids: { uuid: () => `meeting-${++uuids}` },
    settings: { dedupTtlSeconds: 8 * 86_400, intakeTtlSeconds: 2 * 86_400 },
  };
  return {
    deps,
    meetings,
    claims,
    intakes,
    starts,
    setNow: (ms: number) => {
      now = ms;
    },
    integrationStore: {
      get: async (tenantId: string, platform: Platform) => integrations.get(`${tenantId}/${platform}`),
    },
    /** Replaces a firm's integration in place (its routes unchanged), as an admin's save would. */
    saveIntegration: (integration: PlatformIntegration) => {
      integrations.set(`${integration.tenantId}/${integration.platform}`, integration);
    },
    routeStore: { find: async (platform: Platform, key: string) => routes.get(`${platform}/${key}`) },
    replace: async (next: Meeting, expected: MeetingExpectation) => {
      const current = meetings.get(next.meetingId);
      if (!current || !expected.status.includes(current.status) || current.updatedAt !== expected.updatedAt)
        throw new ConflictError('changed');
      meetings.set(next.meetingId, next);
    },
  };
}
