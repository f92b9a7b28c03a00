import type * as z from 'zod';
import type { VerifiedExtraction } from '../../core/extraction/extraction-schema';
import type { Meeting } from '../../core/meetings/meeting';
import type { MeetingViewSchema } from '../routes/meetings-routes';

/**
 * A meeting as the API shows it: never an object key, a recording URL or a platform download link (they may
 * carry tokens). The extraction only on a meeting's details, not in lists.
 */
export function meetingView(
  meeting: Meeting,
  extraction?: VerifiedExtraction,
): z.input<typeof MeetingViewSchema> {
  return {
    id: meeting.meetingId,
    owner_id: meeting.ownerUserId,
    title: meeting.title,
    meeting_date: meeting.meetingDate,
    client_names: meeting.clientNames,
    status: meeting.status,
    ...(meeting.failureReason ? { failure_reason: meeting.failureReason } : {}),
    source: {
      type: meeting.source.type,
      kind: meeting.source.kind,
      ...(meeting.source.type === 'platform' ? { platform: meeting.source.platform } : {}),
    },
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
    ...(meeting.extractor ? { extractor: meeting.extractor } : {}),
    ...(meeting.archiveStatus ? { archive_status: meeting.archiveStatus } : {}),
    ...(meeting.completedAt ? { completed_at: meeting.completedAt } : {}),
    ...(extraction
      ? {
          extraction: {
            notes: extraction.notes,
            action_items: extraction.action_items,
            client_facts: extraction.client_facts,
            compliance_flags: extraction.compliance_flags,
            follow_up_email: extraction.follow_up_email,
            ...(extraction.model ? { model: extraction.model } : {}),
          },
        }
      : {}),
    created_at: meeting.createdAt,
    updated_at: meeting.updatedAt,
  };
}
