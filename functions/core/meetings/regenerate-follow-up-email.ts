import type { Principal } from '../../contracts/principal';
import { ConflictError } from '../../platform/errors';
import type { Notes, VerifiedExtraction, VerifiedNote } from '../extraction/extraction-schema';
import { firmFollowUpEmail } from '../extraction/firm-follow-up-email';
import { effectiveFirmSettings } from '../firm/firm-settings';
import { annotateExtraction } from './annotated-extraction';
import type { FollowUpDraft } from './follow-up-draft';
import type { CurrentFollowUpEmail } from './follow-up-email';
import { writableMeeting } from './meeting-access';
import { storedExtraction } from './meeting-details';
import type { MeetingDeps } from './ports';

export interface RegenerateFollowUpEmailInput {
  actor: Principal;
  ip: string;
  meetingId: string;
  instructions?: string;
}

/** The notes whose evidence verified: an unsupported note never reaches a draft. */
function verifiedNotes(notes: VerifiedExtraction['notes']): Notes {
  const verified = (list: VerifiedNote[]) => list.filter((note) => note.evidence_status === 'verified');
  return {
    summary: verified(notes.summary),
    financial_situation: verified(notes.financial_situation),
    goals_and_concerns: verified(notes.goals_and_concerns),
    recommendations: verified(notes.recommendations),
    next_steps: verified(notes.next_steps),
  };
}

/** What drafting a follow-up needs: the meeting and its extraction, the writer (a model), the firm's settings. */
export type RegenerateFollowUpDeps = Pick<
  MeetingDeps,
  | 'meetings'
  | 'users'
  | 'extractions'
  | 'annotations'
  | 'followUpDrafts'
  | 'followUpWriter'
  | 'firmSettings'
  | 'clock'
>;

/**
 * Writes a new follow-up email draft for a processed meeting from its verified notes and its verified open
 * action items as they stand now (done ones left out, changed due dates in force), following the adviser's
 * instructions when the writer can. The firm's disclaimer is set verbatim by code whatever the writer returned,
 * and the draft is scanned by the compliance lexicon (its flags shown with it). Stored as the meeting's current
 * draft and audited (version and writer; never the text). Still a draft: nothing is sent.
 */
export async function regenerateFollowUpEmail(
  input: RegenerateFollowUpEmailInput,
  deps: RegenerateFollowUpDeps,
): Promise<CurrentFollowUpEmail> {
  const meeting = await writableMeeting(input.actor, input.meetingId, deps);
  const extraction = await storedExtraction(meeting, deps);
  if (!extraction)
    throw new ConflictError('This meeting has not been processed yet: there is nothing to draft from.');
  const [annotations, owner, firm, previous] = await Promise.all([
    deps.annotations.list(meeting.tenantId, meeting.meetingId),
    deps.users.getUser(meeting.tenantId, meeting.ownerUserId),
    effectiveFirmSettings(meeting.tenantId, deps.firmSettings),
    deps.followUpDrafts.get(meeting.tenantId, meeting.meetingId),
  ]);
  const annotated = annotateExtraction(extraction, annotations, input.actor.role);
  const advisorName = owner?.name ?? 'Your adviser';
  const written = await deps.followUpWriter.write({
    meetingDate: meeting.meetingDate,
    advisorName,
    clients: meeting.clientNames,
    notes: verifiedNotes(extraction.notes),
    openActionItems: annotated.action_items.filter(
      (item) => !item.done && item.evidence_status === 'verified',
    ),
    ...(input.instructions ? { instructions: input.instructions } : {}),
  });
  const email = firmFollowUpEmail(written, {
    advisorName,
    clients: meeting.clientNames,
    firmDisclaimer: firm.followUpDisclaimer,
  });
  const draft: FollowUpDraft = {
    meetingId: meeting.meetingId,
    subject: email.subject,
    body: email.body,
    disclaimer: email.disclaimer,
    flags: email.flags,
    writer: deps.followUpWriter.kind,
    version: (previous?.version ?? 0) + 1,
    ...(input.instructions ? { instructions: input.instructions } : {}),
    createdBy: input.actor.userId,
    createdAt: new Date(deps.clock.now()).toISOString(),
  };
  await deps.followUpDrafts.put(meeting.tenantId, draft, previous, {
    action: 'meeting.follow_up_regenerated',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'meeting', id: meeting.meetingId },
    ip: input.ip,
    details: {
      version: draft.version,
      writer: draft.writer,
      instructions_given: input.instructions !== undefined,
    },
  });
  return {
    subject: draft.subject,
    body: draft.body,
    disclaimer: draft.disclaimer,
    flags: draft.flags,
    writer: draft.writer,
    version: draft.version,
    generatedAt: draft.createdAt,
    ...(draft.instructions ? { instructions: draft.instructions } : {}),
  };
}
