import { ConflictError } from '../../platform/errors';
import type { Meeting } from '../meetings/meeting';
import type { IntegrationCredentials } from './integration-credentials';
import type { PlatformArtifactDescriptor } from './platform-artifact';
import type { PlatformMeetingEvent } from './platform-meeting-event';
import type { PlatformIntakeDeps } from './ports';
import { resolveAdvisor } from './resolve-advisor';

export type IntakeOutcome =
  | { outcome: 'created'; meetingId: string }
  | { outcome: 'duplicate'; meetingId: string }
  | { outcome: 'ignored'; reason: 'unmapped_host' | 'advisor_inactive' };

/**
 * A verified platform event becomes a meeting of the mapped advisor, with consent not given, waiting for its
 * file (`pending_upload`); the file is fetched after the webhook has answered, by the intake state machine this
 * starts. The webhook's work is a few small writes, so it answers well inside the platforms' 3 s; the
 * `meeting.created` audit entry is written by the intake task (`fetchPlatformArtifact`), because appending to
 * the firm's hash-chained trail serialises a burst of deliveries, which must not hold up the answer.
 *
 * Idempotent under redelivery and concurrency: the first delivery's claim fixes the meeting id; later ones
 * find it and create nothing. One that finds the claim but no meeting (the first delivery died between its
 * writes) completes the job with the same id; one that finds the meeting still waiting for its file rewrites
 * the intake item and starts the intake again. The intake execution is named after the meeting, so starting
 * it twice is a no-op.
 */
export async function intakePlatformMeeting(
  input: { event: PlatformMeetingEvent; credentials: IntegrationCredentials },
  deps: PlatformIntakeDeps,
): Promise<IntakeOutcome> {
  const { event } = input;
  const nowMs = deps.clock.now();
  // The advisor check and the claim are independent: one round trip instead of two. A claim left by an event
  // whose host maps to no advisor is harmless: a redelivery after the mapping is fixed completes it (below).
  const [advisor, claim] = await Promise.all([
    resolveAdvisor(event.tenantId, event.hostIdentities, input.credentials, deps.users),
    deps.dedup.claim({
      tenantId: event.tenantId,
      platform: event.platform,
      eventId: event.eventId,
      meetingId: deps.ids.uuid(),
      nowSeconds: Math.floor(nowMs / 1000),
      expiresAt: Math.floor(nowMs / 1000) + deps.settings.dedupTtlSeconds,
    }),
  ]);
  if (!advisor.found) return { outcome: 'ignored', reason: advisor.reason };

  const ref = { tenantId: event.tenantId, meetingId: claim.meetingId, platform: event.platform };
  const now = new Date(nowMs).toISOString();
  const intake = {
    ...ref,
    descriptor: event.descriptor,
    createdAt: now,
    expiresAt: Math.floor(nowMs / 1000) + deps.settings.intakeTtlSeconds,
  };
  if (!claim.first) {
    const existing = await deps.meetings.get(event.tenantId, claim.meetingId);
    if (existing) {
      // Still waiting for its file: the first delivery may have died before its intake item or execution. The
      // redelivery's descriptor (a fresher download token) replaces the old; the start is a no-op if running.
      if (
        existing.status === 'pending_upload' &&
        existing.source.type === 'platform' &&
        !existing.source.artifact
      ) {
        await deps.intakes.put(intake);
        await deps.intake.start(ref);
      }
      return { outcome: 'duplicate', meetingId: claim.meetingId };
    }
  }

  const meeting: Meeting = {
    meetingId: claim.meetingId,
    tenantId: event.tenantId,
    ownerUserId: advisor.advisorUserId,
    createdBy: advisor.advisorUserId,
    title: event.title,
    meetingDate: event.meetingDate,
    // The platform knows the participants' display names, not who the firm's clients are: the adviser adds them.
    clientNames: [],
    status: 'pending_upload',
    source: {
      type: 'platform',
      platform: event.platform,
      kind: expectedKindOf(event.descriptor),
      externalMeetingId: event.externalMeetingId,
    },
    createdAt: now,
    updatedAt: now,
  };
  // Independent writes, one round trip; a redelivery repairs either if the other failed (see above).
  const [created, stored] = await Promise.allSettled([
    deps.meetings.create(meeting),
    deps.intakes.put(intake),
  ]);
  if (stored.status === 'rejected') throw stored.reason;
  if (created.status === 'rejected') {
    // A concurrent delivery of the same event created it first (same id from the same claim).
    if (created.reason instanceof ConflictError) return { outcome: 'duplicate', meetingId: claim.meetingId };
    throw created.reason;
  }
  await deps.intake.start(ref);
  return { outcome: 'created', meetingId: claim.meetingId };
}

/** The kind the event announces; Teams finds out only when it fetches, and prefers the transcript. */
export function expectedKindOf(descriptor: PlatformArtifactDescriptor): 'audio' | 'transcript' {
  if (descriptor.platform === 'teams') {
    return descriptor.transcriptId === undefined && descriptor.recordingId !== undefined
      ? 'audio'
      : 'transcript';
  }
  return descriptor.kind;
}
