import type { CrmSyncStatus } from '../crm/crm-sync-status';
import { type VerifiedExtraction, VerifiedExtractionSchema } from '../extraction/extraction-schema';
import type { Principal } from '../identity/principal';
import type { Meeting } from './meeting';
import { readableMeeting } from './meeting-access';
import type { MeetingDeps } from './ports';

export interface MeetingDetails {
  meeting: Meeting;
  /** The verified extraction, once the pipeline saved one. */
  extraction?: VerifiedExtraction;
  /** Each CRM connection's sync status (remote ids, unmatched contacts' candidates, why, attempts). */
  crm: CrmSyncStatus[];
}

/** One meeting the principal may read, with its extraction loaded from its encrypted blob when there is one. */
export async function meetingDetails(
  principal: Principal,
  meetingId: string,
  deps: Pick<MeetingDeps, 'meetings' | 'users' | 'extractions' | 'crmSync'>,
): Promise<MeetingDetails> {
  const meeting = await readableMeeting(principal, meetingId, deps);
  const crm =
    deps.crmSync && (meeting.crm !== undefined || meeting.status === 'completed')
      ? await deps.crmSync.statuses(meeting.tenantId, meeting.meetingId)
      : [];
  if (!meeting.extractionKey || !deps.extractions) return { meeting, crm };
  const stored = await deps.extractions.getJson(meeting.tenantId, meeting.extractionKey);
  return { meeting, extraction: VerifiedExtractionSchema.parse(stored), crm };
}
