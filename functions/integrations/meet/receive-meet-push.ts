import * as z from 'zod';
import type { Clock } from '../../contracts/clock';
import { WebhookRejectedError } from '../../core/platforms/errors';
import { type IntakeOutcome, intakePlatformMeeting } from '../../core/platforms/intake-platform-meeting';
import type { MeetCredentials } from '../../core/platforms/integration-credentials';
import { meetTokenRoute } from '../../core/platforms/platform-routes';
import type { PlatformIntakeDeps } from '../../core/platforms/ports';
import { authenticateWebhook, type WebhookIntegrationLookup } from '../../core/platforms/webhook-integration';
import { constantTimeEqual } from '../../platform/crypto/constant-time-equal';
import { MalformedBodyError, ValidationError } from '../../platform/errors';
import { issuesFromZod } from '../../platform/validation-issues';
import { type MeetEvent, readMeetEvent } from './meet-event';
import { type PubSubPush, PubSubPushSchema } from './pubsub-push';
import type { PushTokenVerifier } from './push-token-verifier';

export const MEET_MEETING_TITLE = 'Google Meet meeting';

/** The path token's shape (`MeetCredentialsSchema.pathToken`): anything else is refused before any lookup. */
export const MeetPathTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/);

export interface MeetWebhookDeps {
  integrations: WebhookIntegrationLookup;
  intake: PlatformIntakeDeps;
  clock: Clock;
  /** When set, the push must also carry a Google OIDC token this verifier accepts. */
  oidc: PushTokenVerifier | undefined;
}

export type MeetWebhookResult =
  | { kind: 'ignored'; tenantId: string; eventType: string }
  | {
      kind: 'artifact';
      tenantId: string;
      eventType: string;
      result: IntakeOutcome | { outcome: 'unmapped_host' };
    };

/**
 * One Pub/Sub push of a Workspace Events message. Authentication first: the secret token in the path finds the
 * firm (by digest) and is compared with the firm's in constant time, and, when configured, the OIDC bearer is
 * verified; either failing is 401 with nothing done. Then the envelope is decoded (400 naming the field); a
 * transcript or recording `fileGenerated` becomes a meeting awaiting its file and consent, deduplicated by the
 * CloudEvent id; any other event type is acknowledged and ignored.
 */
export async function receiveMeetPush(
  input: { pathToken: string; authorization: string | undefined; rawBody: string },
  deps: MeetWebhookDeps,
): Promise<MeetWebhookResult> {
  const { tenantId, credentials } = await authenticate(input, deps);
  const push = parsePush(input.rawBody);
  const event = readMeetEvent(push);
  if (event.kind === 'ignored') return { kind: 'ignored', tenantId, eventType: event.eventType };
  const hostIdentities = meetHostIdentities(push, credentials);
  if (hostIdentities.length === 0) {
    return { kind: 'artifact', tenantId, eventType: event.eventType, result: { outcome: 'unmapped_host' } };
  }
  const result = await intakePlatformMeeting(
    {
      event: {
        platform: 'meet',
        tenantId,
        eventId: event.eventId,
        hostIdentities,
        title: MEET_MEETING_TITLE,
        meetingDate: meetingDate(push, deps.clock.now()),
        externalMeetingId: conferenceRecordOf(event),
        descriptor: {
          platform: 'meet',
          resourceName: event.name,
          kind: event.kind === 'recording' ? 'audio' : 'transcript',
        },
      },
      credentials,
    },
    deps.intake,
  );
  return { kind: 'artifact', tenantId, eventType: event.eventType, result };
}

async function authenticate(
  input: { pathToken: string; authorization: string | undefined },
  deps: MeetWebhookDeps,
): Promise<{ tenantId: string; credentials: MeetCredentials }> {
  if (!MeetPathTokenSchema.safeParse(input.pathToken).success) throw new WebhookRejectedError('bad_token');
  const firm = await authenticateWebhook(
    deps.integrations,
    'meet',
    meetTokenRoute(input.pathToken),
    (found) => {
      const credentials = found?.integration.credentials;
      if (
        found === undefined ||
        credentials?.platform !== 'meet' ||
        !constantTimeEqual(input.pathToken, credentials.pathToken)
      ) {
        throw new WebhookRejectedError('bad_token');
      }
      return { tenantId: found.tenantId, credentials };
    },
  );
  if (deps.oidc !== undefined && !(await deps.oidc.verify(input.authorization)).ok) {
    throw new WebhookRejectedError('bad_token');
  }
  return firm;
}

/**
 * Who the meeting belongs to. A Workspace Events subscription on a user names them in `ce-subject`
 * (`//cloudidentity.googleapis.com/users/{id}`); the integration's delegated user (whose Drive holds the files)
 * is the other candidate. The firm's advisor mapping decides which, if either, is an advisor.
 */
function meetHostIdentities(push: PubSubPush, credentials: MeetCredentials): string[] {
  const subject = push.message.attributes?.['ce-subject'] ?? '';
  const user = /^\/\/cloudidentity\.googleapis\.com\/users\/([A-Za-z0-9._@+-]{1,200})$/.exec(subject)?.[1];
  return [user, credentials.delegatedUser].filter((v): v is string => v !== undefined);
}

function meetingDate(push: PubSubPush, nowMs: number): string {
  const stamp = push.message.attributes?.['ce-time'] ?? push.message.publishTime;
  const parsed = stamp === undefined ? Number.NaN : Date.parse(stamp);
  return new Date(Number.isNaN(parsed) ? nowMs : parsed).toISOString().slice(0, 10);
}

function conferenceRecordOf(event: Extract<MeetEvent, { name: string }>): string {
  return event.name.split('/').slice(0, 2).join('/');
}

function parsePush(rawBody: string): PubSubPush {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    throw new MalformedBodyError('The request body is not valid JSON.', error);
  }
  const result = PubSubPushSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ValidationError(
    'The Pub/Sub push is malformed.',
    issuesFromZod(result.error, { prefix: 'body' }),
    result.error,
  );
}
