import type * as z from 'zod';
import type { Clock } from '../../contracts/clock';
import { WebhookRejectedError } from '../../core/platforms/errors';
import { type IntakeOutcome, intakePlatformMeeting } from '../../core/platforms/intake-platform-meeting';
import type { ZoomCredentials } from '../../core/platforms/integration-credentials';
import { zoomAccountRoute, zoomEndpointRoute } from '../../core/platforms/platform-routes';
import type { PlatformIntakeDeps } from '../../core/platforms/ports';
import { authenticateWebhook, type WebhookIntegrationLookup } from '../../core/platforms/webhook-integration';
import { MalformedBodyError, ValidationError } from '../../platform/errors';
import { issuesFromZod } from '../../platform/validation-issues';
import {
  ZOOM_RECORDING_EVENTS,
  ZoomEnvelopeSchema,
  ZoomRecordingEventSchema,
  ZoomUrlValidationSchema,
} from './zoom-event';
import { zoomMeetingEvent } from './zoom-meeting-event';
import { zoomSignatureMatches, zoomUrlValidationToken } from './zoom-signature';

/** Zoom's own advice and ours: a signed request more than 5 minutes from now (either way) is a replay. */
export const ZOOM_TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface ZoomDelivery {
  rawBody: string;
  signature: string | undefined;
  /** `x-zm-request-timestamp`, epoch seconds. */
  timestamp: string | undefined;
  /** `?firm=<integration id>` of the endpoint URL the firm configured; required for URL validation. */
  firm: string | undefined;
}

export type ZoomWebhookResult =
  | { kind: 'url_validation'; tenantId: string; plainToken: string; encryptedToken: string }
  | {
      kind: 'recording';
      tenantId: string;
      event: string;
      result: IntakeOutcome | { outcome: 'no_usable_file' };
    }
  | { kind: 'ignored'; tenantId: string; event: string };

export interface ZoomWebhookDeps {
  integrations: WebhookIntegrationLookup;
  intake: PlatformIntakeDeps;
  clock: Clock;
}

/**
 * One Zoom delivery, in the order that keeps an unauthenticated request from causing anything: parse the
 * envelope (400), check the timestamp window (401), find the firm from the unverified `payload.account_id` — or,
 * for URL validation, which has no account, from the `firm` query parameter of the firm's endpoint URL —
 * (401 when unknown, the same answer as a bad signature), verify the signature with that firm's secret over
 * the raw body (401), and only then act: answer the validation, take a recording event in, ignore the rest.
 * A warm instance remembers the firm's integration briefly (`authenticateWebhook` says what that changes).
 */
export async function receiveZoomWebhook(
  delivery: ZoomDelivery,
  deps: ZoomWebhookDeps,
): Promise<ZoomWebhookResult> {
  const envelope = parseEnvelope(delivery.rawBody);
  const timestamp = checkTimestamp(delivery, deps.clock);

  const isValidation = envelope.event === 'endpoint.url_validation';
  const accountId = isValidation ? undefined : stringField(envelope.payload, 'account_id');
  const routeKey = isValidation
    ? delivery.firm === undefined
      ? undefined
      : zoomEndpointRoute(delivery.firm)
    : accountId === undefined
      ? undefined
      : zoomAccountRoute(accountId);
  if (routeKey === undefined) throw new WebhookRejectedError('unknown_account');
  const { tenantId, credentials } = await authenticateWebhook(
    deps.integrations,
    'zoom',
    routeKey,
    (found): { tenantId: string; credentials: ZoomCredentials } => {
      const credentials = found?.integration.credentials;
      if (
        found === undefined ||
        credentials?.platform !== 'zoom' ||
        // An endpoint URL naming one firm never carries another firm's events.
        (delivery.firm !== undefined && delivery.firm !== found.integration.integrationId) ||
        (accountId !== undefined && accountId !== credentials.accountId)
      ) {
        throw new WebhookRejectedError('unknown_account');
      }
      if (
        !zoomSignatureMatches(credentials.webhookSecretToken, timestamp, delivery.rawBody, delivery.signature)
      ) {
        throw new WebhookRejectedError('bad_signature');
      }
      return { tenantId: found.tenantId, credentials };
    },
  );

  if (isValidation) {
    const validation = parseAs(ZoomUrlValidationSchema, envelope);
    return {
      kind: 'url_validation',
      tenantId,
      plainToken: validation.payload.plainToken,
      encryptedToken: zoomUrlValidationToken(credentials.webhookSecretToken, validation.payload.plainToken),
    };
  }
  if (!ZOOM_RECORDING_EVENTS.includes(envelope.event)) {
    return { kind: 'ignored', tenantId, event: envelope.event };
  }
  const recording = parseAs(ZoomRecordingEventSchema, envelope);
  const event = zoomMeetingEvent(tenantId, recording);
  if (!event)
    return { kind: 'recording', tenantId, event: envelope.event, result: { outcome: 'no_usable_file' } };
  const result = await intakePlatformMeeting({ event, credentials }, deps.intake);
  return { kind: 'recording', tenantId, event: envelope.event, result };
}

function parseEnvelope(rawBody: string) {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    throw new MalformedBodyError('The request body is not valid JSON.', error);
  }
  return parseAs(ZoomEnvelopeSchema, json);
}

function parseAs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Paths and zod's messages only: never the values, which are the meeting's personal data.
  throw new ValidationError(
    'The Zoom event is malformed.',
    issuesFromZod(result.error, { prefix: 'body' }),
    result.error,
  );
}

function checkTimestamp(delivery: ZoomDelivery, clock: Clock): string {
  const { timestamp, signature } = delivery;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) {
    throw new WebhookRejectedError('missing_headers');
  }
  const skewSeconds = Math.abs(clock.now() / 1000 - Number(timestamp));
  if (skewSeconds > ZOOM_TIMESTAMP_TOLERANCE_SECONDS) throw new WebhookRejectedError('stale_timestamp');
  return timestamp;
}

function stringField(payload: Record<string, unknown>, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
