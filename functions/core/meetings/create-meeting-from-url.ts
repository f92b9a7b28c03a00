import type { Principal } from '../../contracts/principal';
import type { Meeting } from './meeting';
import { resolveOwner } from './meeting-access';
import type { MeetingDeps } from './ports';

/** Checks a recording URL before the system accepts it (the SSRF guard's rules, without fetching). */
export interface RecordingUrlVetter {
  vet(url: string): Promise<void>;
}

export interface CreateMeetingFromUrlInput {
  actor: Principal;
  ip: string;
  recordingUrl: string;
  title: string;
  meetingDate: string;
  clientNames: string[];
  ownerUserId?: string;
}

/**
 * A meeting whose recording is fetched from a URL by the transcription step. The URL is vetted now (https, no
 * credentials, a public address for every DNS answer) and again, pinned, when it is fetched. The meeting starts
 * awaiting consent: recording consent is always its own recorded act (`recordConsent`), never a create flag.
 */
export async function createMeetingFromUrl(
  input: CreateMeetingFromUrlInput,
  deps: Pick<MeetingDeps, 'meetings' | 'users' | 'clock' | 'ids'> & {
    recordingUrls: RecordingUrlVetter;
  },
): Promise<Meeting> {
  await deps.recordingUrls.vet(input.recordingUrl);
  const ownerUserId = await resolveOwner(input.actor, input.ownerUserId, deps);
  const now = new Date(deps.clock.now()).toISOString();
  const meeting: Meeting = {
    meetingId: deps.ids.uuid(),
    tenantId: input.actor.tenantId,
    ownerUserId,
    createdBy: input.actor.userId,
    title: input.title,
    meetingDate: input.meetingDate,
    clientNames: input.clientNames,
    status: 'awaiting_consent',
    source: { type: 'url', kind: 'audio', url: input.recordingUrl },
    createdAt: now,
    updatedAt: now,
  };
  await deps.meetings.create(meeting, {
    action: 'meeting.created',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'meeting', id: meeting.meetingId },
    ip: input.ip,
    details: { source: 'url', owner: ownerUserId },
  });
  return meeting;
}
