import type * as z from 'zod';
import type { Clock } from '../../contracts/clock';
import { WebhookRejectedError } from '../../core/platforms/errors';
import { type IntakeOutcome, intakePlatformMeeting } from '../../core/platforms/intake-platform-meeting';
import type { TeamsCredentials } from '../../core/platforms/integration-credentials';
import { TEAMS_MEETING_TITLE } from '../../core/platforms/platform-meeting-details';
import type { PlatformMeetingEvent } from '../../core/platforms/platform-meeting-event';
import { teamsTenantRoute } from '../../core/platforms/platform-routes';
import type { PlatformIntakeDeps } from '../../core/platforms/ports';
import type { WebhookIntegrationLookup } from '../../core/platforms/webhook-integration';
import { MalformedBodyError, ValidationError } from '../../platform/errors';
import { issuesFromZod } from '../../platform/validation-issues';
import { type GraphNotificationCollection, GraphNotificationCollectionSchema } from './graph-notification';
import type { TeamsSubscriptionStore } from './teams-subscription';
import { type TeamsArtifactEvent, verifyGraphNotifications } from './verify-graph-notifications';

export interface TeamsWebhookDeps {
  integrations: WebhookIntegrationLookup;
  subscriptions: Pick<TeamsSubscriptionStore, 'get'>;
  intake: PlatformIntakeDeps;
  clock: Clock;
}

export interface TeamsWebhookResult {
  rejected: number;
  ignored: number;
  outcomes: (IntakeOutcome & { tenantId: string })[];
}

/**
 * One Graph change-notification delivery: parse (400 naming the field), verify every item against its tenant's
 * firm (`clientState` in constant time), and take each verified transcript or recording in as a meeting awaiting
 * its file and consent (deduplicated by the artifact, so Graph's redeliveries create nothing). Items that fail
 * verification are dropped; when none verifies the delivery is refused (401) and nothing happens.
 */
export async function receiveTeamsNotifications(
  rawBody: string,
  deps: TeamsWebhookDeps,
): Promise<TeamsWebhookResult> {
  const collection = parseAs(GraphNotificationCollectionSchema, parseJson(rawBody));
  let verified = await verifyBatch(collection.value, deps, false);
  // An item refused against a cached integration may carry a clientState an admin has just changed: the batch
  // is checked once more against what is stored (verification writes nothing, so repeating it is harmless).
  if (verified.batch.rejected > 0 && verified.fromCache) {
    verified = await verifyBatch(collection.value, deps, true);
  }
  const { batch, credentialsByFirm } = verified;
  if (batch.events.length === 0 && batch.rejected > 0) throw new WebhookRejectedError('bad_client_state');
  const outcomes: TeamsWebhookResult['outcomes'] = [];
  for (const event of batch.events) {
    const credentials = credentialsByFirm.get(event.firmId) as TeamsCredentials;
    const result = await intakePlatformMeeting(
      { event: teamsMeetingEvent(event, deps.clock.now()), credentials },
      deps.intake,
    );
    outcomes.push({ ...result, tenantId: event.firmId });
  }
  return { rejected: batch.rejected, ignored: batch.ignored, outcomes };
}

async function verifyBatch(
  items: GraphNotificationCollection['value'],
  deps: TeamsWebhookDeps,
  fresh: boolean,
) {
  const credentialsByFirm = new Map<string, TeamsCredentials>();
  let fromCache = false;
  const batch = await verifyGraphNotifications(items, {
    subscriptions: deps.subscriptions,
    firms: {
      byGraphTenant: async (graphTenantId) => {
        const found = await deps.integrations.find('teams', teamsTenantRoute(graphTenantId), { fresh });
        const credentials = found?.integration.credentials;
        if (
          found === undefined ||
          credentials?.platform !== 'teams' ||
          credentials.azureTenantId.toLowerCase() !== graphTenantId
        ) {
          return undefined;
        }
        fromCache ||= found.cached;
        credentialsByFirm.set(found.tenantId, credentials);
        return { firmId: found.tenantId, clientState: credentials.clientState };
      },
    },
  });
  return { batch, credentialsByFirm, fromCache };
}

/** A verified Teams artifact in the foundation's platform-neutral terms. */
export function teamsMeetingEvent(event: TeamsArtifactEvent, nowMs: number): PlatformMeetingEvent {
  const { artifact } = event;
  return {
    platform: 'teams',
    tenantId: event.firmId,
    eventId: event.eventId,
    hostIdentities: [artifact.userId],
    // Graph's notification names neither title nor start; the intake task asks for both with the file.
    title: TEAMS_MEETING_TITLE,
    // The notification arrives minutes after the meeting ends: its UTC date is the meeting's in all but edge cases.
    meetingDate: new Date(nowMs).toISOString().slice(0, 10),
    externalMeetingId: artifact.meetingId.slice(0, 500),
    descriptor: {
      platform: 'teams',
      userId: artifact.userId,
      onlineMeetingId: artifact.meetingId,
      ...(artifact.kind === 'transcript'
        ? { transcriptId: artifact.artifactId }
        : { recordingId: artifact.artifactId }),
    },
  };
}

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch (error) {
    throw new MalformedBodyError('The request body is not valid JSON.', error);
  }
}

function parseAs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Paths and zod's messages only, never values: resources and ids are the meeting's data.
  throw new ValidationError(
    'The Graph notification is malformed.',
    issuesFromZod(result.error, { prefix: 'body' }),
    result.error,
  );
}
