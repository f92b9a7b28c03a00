import type * as z from 'zod';
import type { Meeting } from '../../core/meetings/meeting';
import type { MeetingViewSchema } from '../routes/meetings-routes';

/** A meeting as the API shows it: never the object key or a recording URL (URLs may carry tokens). */
export function meetingView(meeting: Meeting): z.input<typeof MeetingViewSchema> {
  return {
    id: meeting.meetingId,
    owner_id: meeting.ownerUserId,
    title: meeting.title,
    meeting_date: meeting.meetingDate,
    client_names: meeting.clientNames,
    status: meeting.status,
    ...(meeting.failureReason ? { failure_reason: meeting.failureReason } : {}),
    source: { type: meeting.source.type, kind: meeting.source.kind },
    ...(meeting.consent
      ? {
          consent: {
            granted_by: meeting.consent.grantedBy,
            granted_at: meeting.consent.grantedAt,
            method: meeting.consent.method,
            participant_states: meeting.consent.participantStates,
            all_party_consent_states: meeting.consent.allPartyConsentStates,
          },
        }
      : {}),
    created_at: meeting.createdAt,
    updated_at: meeting.updatedAt,
  };
}
