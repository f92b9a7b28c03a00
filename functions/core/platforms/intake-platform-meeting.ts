import type { Meeting } from '../meetings/meeting';
import type { IntegrationCredentials } from './integration-credentials';
import { MEETING_OWNER_ROLES, mappedAdvisor } from './mapped-advisor';
import type { PlatformArtifactDescriptor } from './platform-artifact';
import type { PlatformMeetingEvent } from './platform-meeting-event';
import { PLATFORM_ACTOR_IP, type PlatformIntake, type PlatformIntakeDeps } from './ports';

export type IntakeOutcome =
  | { outcome: 'created'; meetingId: string }
  | { outcome: 'duplicate'; meetingId: string }
  | { outcome: 'ignored'; reason: 'unmapped_host' | 'advisor_inactive' };

/**
 * A verified platform event becomes a meeting of the mapped advisor, with consent not given, waiting for its
 * file (`pending_upload`); the file is fetched after the webhook has answered, by the intake state machine this
 * starts. The webhook's work is one transaction (claim, owner check, meeting, intake item) and the start, so it
 * answers well inside the platforms' 3 s; the `meeting.created` audit entry is written by the intake task
 * (`fetchPlatformArtifact`), because appending to the firm's hash-chained trail serialises a burst of
 * deliveries, which must not hold up the answer.
 *
 * Idempotent under redelivery and concurrency: exactly one delivery of an event is admitted; the others find
 * its meeting and create nothing. One that finds the meeting still waiting for its file (the first delivery may
 * have died before starting the intake) rewrites the intake item with its fresher descriptor and starts the
 * intake again; the execution is named after the meeting, so a second start of a running one is a no-op.
 */
export async function intakePlatformMeeting(
  input: { event: PlatformMeetingEvent; credentials: IntegrationCredentials },
  deps: PlatformIntakeDeps,
): Promise<IntakeOutcome> {
  const { event } = input;
  const advisorUserId = mappedAdvisor(event.hostIdentities, input.credentials);
  if (advisorUserId === undefined) return { outcome: 'ignored', reason: 'unmapped_host' };

  const nowMs = deps.clock.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  const now = new Date(nowMs).toISOString();
  const meetingId = deps.ids.uuid();
  const intakeOf = (id: string): PlatformIntake => ({
    tenantId: event.tenantId,
    meetingId: id,
    platform: event.platform,
    descriptor: event.descriptor,
    createdAt: now,
    expiresAt: nowSeconds + deps.settings.intakeTtlSeconds,
    // `meeting.created` is recorded with the admission itself, so the intake never records it again.
    auditedAt: now,
  });
  const meeting: Meeting = {
    meetingId,
    tenantId: event.tenantId,
    ownerUserId: advisorUserId,
    createdBy: advisorUserId,
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
  const admission = await deps.admissions.admit({
    meeting,
    intake: intakeOf(meetingId),
    eventId: event.eventId,
    ownerRoles: MEETING_OWNER_ROLES,
    nowSeconds,
    claimExpiresAt: nowSeconds + deps.settings.dedupTtlSeconds,
    audit: {
      action: 'meeting.created',
      outcome: 'success',
      target: { type: 'meeting', id: meetingId },
      ip: PLATFORM_ACTOR_IP,
      details: { source: 'platform', platform: event.platform, owner: advisorUserId },
    },
  });
  const ref = (id: string) => ({ tenantId: event.tenantId, meetingId: id, platform: event.platform });
  switch (admission.outcome) {
    case 'owner_ineligible':
      return { outcome: 'ignored', reason: 'advisor_inactive' };
    case 'admitted':
      await deps.intake.start(ref(meetingId));
      return { outcome: 'created', meetingId };
    case 'duplicate': {
      const existing = await deps.meetings.get(event.tenantId, admission.meetingId);
      if (
        existing?.status === 'pending_upload' &&
        existing.source.type === 'platform' &&
        !existing.source.artifact
      ) {
        await deps.intakes.put(intakeOf(admission.meetingId));
        await deps.intake.start(ref(admission.meetingId));
      }
      return { outcome: 'duplicate', meetingId: admission.meetingId };
    }
  }
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
