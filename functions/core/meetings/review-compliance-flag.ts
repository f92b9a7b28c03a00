import type { Principal } from '../../contracts/principal';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors';
import { type AnnotatedFlag, annotateFlag, FLAG_REVIEWER_ROLES } from './annotated-extraction';
import type { FlagDecision, FlagReview } from './flag-review';
import { readableMeeting } from './meeting-access';
import { storedExtraction } from './meeting-details';
import type { MeetingDeps } from './ports';

export interface ReviewComplianceFlagInput {
  actor: Principal;
  ip: string;
  meetingId: string;
  flagId: string;
  decision: FlagDecision;
  note: string;
}

/**
 * A compliance reviewer dismisses or escalates one compliance flag, with a note. The review is appended to the
 * flag's history (a later review supersedes, never erases, an earlier one) and written to the audit trail —
 * decision, flag and rule; the note may quote the meeting, so it stays out of the trail and is encrypted.
 */
export async function reviewComplianceFlag(
  input: ReviewComplianceFlagInput,
  deps: Pick<MeetingDeps, 'meetings' | 'users' | 'extractions' | 'annotations' | 'clock'>,
): Promise<AnnotatedFlag> {
  if (!FLAG_REVIEWER_ROLES.includes(input.actor.role)) {
    throw new ForbiddenError('Only compliance and admins review compliance flags.');
  }
  const meeting = await readableMeeting(input.actor, input.meetingId, deps);
  const extraction = await storedExtraction(meeting, deps);
  if (!extraction)
    throw new ConflictError('This meeting has no compliance flags yet: it has not been processed.');
  const flag = extraction.compliance_flags.find((f) => f.id === input.flagId);
  if (!flag) throw new NotFoundError('Compliance flag not found.');

  const review: FlagReview = {
    meetingId: meeting.meetingId,
    flagId: flag.id,
    decision: input.decision,
    note: input.note,
    reviewerId: input.actor.userId,
    reviewerRole: input.actor.role,
    reviewedAt: new Date(deps.clock.now()).toISOString(),
  };
  await deps.annotations.addFlagReview(meeting.tenantId, review, {
    action: 'meeting.flag_reviewed',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'meeting', id: meeting.meetingId },
    ip: input.ip,
    details: { flag_id: flag.id, rule: flag.rule, severity: flag.severity, decision: input.decision },
  });
  const { flagReviews } = await deps.annotations.list(meeting.tenantId, meeting.meetingId);
  return annotateFlag(flag, flagReviews, input.actor.role);
}
