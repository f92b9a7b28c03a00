import type * as z from 'zod';
import type { CrmSyncStatus } from '../../core/crm/crm-sync-status';
import type { AnnotatedExtraction } from '../../core/meetings/annotated-extraction';
import type { Meeting } from '../../core/meetings/meeting';
import type { MeetingViewSchema } from '../routes/meetings-routes';
import { meetingCrmView } from './crm-views';

/**
 * A meeting as the API shows it: never an object key, a recording URL or a platform download link (they may
 * carry tokens). The extraction only on a meeting's details, not in lists.
 */
export function meetingView(
  meeting: Meeting,
  extraction?: AnnotatedExtraction,
  crmStatuses?: readonly CrmSyncStatus[],
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
    ...(meeting.extractionFallbackReason
      ? { extraction_fallback_reason: meeting.extractionFallbackReason }
      : {}),
    ...(meeting.llmUsage
      ? {
          llm_usage: {
            calls: meeting.llmUsage.calls.length,
            tokens: meeting.llmUsage.tokens,
            cost_usd: meeting.llmUsage.costUsd,
          },
        }
      : {}),
    ...(meeting.archiveStatus ? { archive_status: meeting.archiveStatus } : {}),
    ...(meeting.completedAt ? { completed_at: meeting.completedAt } : {}),
    ...(crmStatuses && (crmStatuses.length > 0 || meeting.crm)
      ? { crm: meetingCrmView(meeting.crm ?? [], crmStatuses) }
      : {}),
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
