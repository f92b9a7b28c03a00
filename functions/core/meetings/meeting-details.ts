import type { Principal } from '../../contracts/principal';
import type { CrmSyncStatus } from '../crm/crm-sync-status';
import { type VerifiedExtraction, VerifiedExtractionSchema } from '../extraction/extraction-schema';
import { type AnnotatedExtraction, annotateExtraction } from './annotated-extraction';
import type { Meeting } from './meeting';
import { readableMeeting } from './meeting-access';
import type { MeetingDeps } from './ports';

export interface MeetingDetails {
  meeting: Meeting;
  /** The verified extraction merged with the team's edits and reviews, once the pipeline saved one. */
  extraction?: AnnotatedExtraction;
  /** Each CRM connection's sync status (remote ids, unmatched contacts' candidates, why, attempts). */
  crm: CrmSyncStatus[];
}

/** The meeting's verified extraction from its encrypted blob, or undefined before the pipeline saved one. */
export async function storedExtraction(
  meeting: Meeting,
  deps: Pick<MeetingDeps, 'extractions'>,
): Promise<VerifiedExtraction | undefined> {
  if (!meeting.extractionKey || !deps.extractions) return undefined;
  return VerifiedExtractionSchema.parse(
    await deps.extractions.getJson(meeting.tenantId, meeting.extractionKey),
  );
}

/** One meeting the principal may read, with its extraction and the annotations beside it. */
export async function meetingDetails(
  principal: Principal,
  meetingId: string,
  deps: Pick<MeetingDeps, 'meetings' | 'users' | 'extractions' | 'annotations' | 'crmSync'>,
): Promise<MeetingDetails> {
  const meeting = await readableMeeting(principal, meetingId, deps);
  const [extraction, annotations, crm] = await Promise.all([
    storedExtraction(meeting, deps),
    meeting.extractionKey ? deps.annotations.list(meeting.tenantId, meeting.meetingId) : undefined,
    deps.crmSync && (meeting.crm !== undefined || meeting.status === 'completed')
      ? deps.crmSync.statuses(meeting.tenantId, meeting.meetingId)
      : [],
  ]);
  if (!extraction || !annotations) return { meeting, crm };
  return { meeting, extraction: annotateExtraction(extraction, annotations, principal.role), crm };
}
