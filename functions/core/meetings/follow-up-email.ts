import type { Principal } from '../../contracts/principal';
import { NotFoundError } from '../../platform/errors';
import type { ExtractorKind, FollowUpEmail } from '../extraction/extraction-schema';
import { meetingDetails } from './meeting-details';
import type { MeetingDeps } from './ports';

/** The follow-up email draft in force (with the compliance lexicon's flags on it), and where it came from. */
export interface CurrentFollowUpEmail extends FollowUpEmail {
  writer: ExtractorKind;
  /** 0: the extraction's own draft; n: the n-th regeneration. */
  version: number;
  generatedAt?: string;
  instructions?: string;
}

/** The meeting's latest follow-up draft: the last regeneration if any, else the extraction's draft. */
export async function currentFollowUpEmail(
  principal: Principal,
  meetingId: string,
  deps: Pick<MeetingDeps, 'meetings' | 'users' | 'extractions' | 'annotations' | 'followUpDrafts'>,
): Promise<CurrentFollowUpEmail> {
  const { meeting, extraction } = await meetingDetails(principal, meetingId, deps);
  if (!extraction) throw new NotFoundError('This meeting has no follow-up email draft yet.');
  const regenerated = await deps.followUpDrafts.get(meeting.tenantId, meeting.meetingId);
  if (!regenerated) return { ...extraction.follow_up_email, writer: extraction.extractor, version: 0 };
  return {
    subject: regenerated.subject,
    body: regenerated.body,
    disclaimer: regenerated.disclaimer,
    flags: regenerated.flags,
    writer: regenerated.writer,
    version: regenerated.version,
    generatedAt: regenerated.createdAt,
    ...(regenerated.instructions ? { instructions: regenerated.instructions } : {}),
  };
}
